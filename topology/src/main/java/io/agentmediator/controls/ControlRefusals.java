package io.agentmediator.controls;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How many controls this instance refused, by reason: counted on the global thread, read at scrapes. */
public final class ControlRefusals {

    private final Map<ControlRefusal.Reason, LongAdder> counts = new EnumMap<>(ControlRefusal.Reason.class);

    public ControlRefusals() {
        for (ControlRefusal.Reason reason : ControlRefusal.Reason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    void count(ControlRefusal.Reason reason) {
        counts.get(reason).increment();
    }

    public long total(ControlRefusal.Reason reason) {
        return counts.get(reason).sum();
    }
}
