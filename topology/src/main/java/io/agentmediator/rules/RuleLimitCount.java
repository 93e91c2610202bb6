package io.agentmediator.rules;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many rule evaluations were stopped at a limit in this process, by limit, for the metrics. Counted
 * where the limit is hit, whatever the rule's mode and whoever evaluates (gate, backtest), because an
 * AUDIT rule over its limit is as much a sign of a runaway rule as an enforced one. Process-wide like the
 * JVM's own counters: evaluation is shared by every stream thread and has no other way out.
 */
public final class RuleLimitCount {

    /** The limit an evaluation was stopped at, as the metric's label. */
    public enum Limit {
        COST, SIZE
    }

    private static final Map<Limit, LongAdder> COUNTS = new EnumMap<>(Limit.class);

    static {
        for (Limit limit : Limit.values()) {
            COUNTS.put(limit, new LongAdder());
        }
    }

    private RuleLimitCount() {
    }

    static void exceeded(Limit limit) {
        COUNTS.get(limit).increment();
    }

    /** Evaluations stopped at {@code limit} since the process started. */
    public static long total(Limit limit) {
        return COUNTS.get(limit).sum();
    }
}
