package io.agentmediator.intake;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import java.util.List;

/**
 * A decoded intent with the exact bytes it arrived as: agents sign those bytes, so the gate
 * verifies signatures over them, not over a re-encoding. {@code overLimits}: the input limits it
 * breaks, each a sentence; when there are any, {@code intent} is its bounded copy. {@code waitedAs}:
 * for an intent that waited for its dependencies and may now go ahead, its case file while it
 * waited; null for one that just arrived.
 */
public record ReceivedIntent(AgentIntent intent, byte[] rawValue, List<String> overLimits, AuditRecord waitedAs) {

    public ReceivedIntent {
        overLimits = List.copyOf(overLimits);
    }

    /** An intent as it arrived. */
    public ReceivedIntent(AgentIntent intent, byte[] rawValue, List<String> overLimits) {
        this(intent, rawValue, overLimits, null);
    }

    /** Whether it waited for its dependencies and they all completed, rather than just arrived. */
    public boolean woken() {
        return waitedAs != null;
    }
}
