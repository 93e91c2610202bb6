package io.agentmediator.intake;

import io.agentmediator.schema.AgentIntent;
import java.util.List;

/**
 * A decoded intent with the exact bytes it arrived as: agents sign those bytes, so the gate
 * verifies signatures over them, not over a re-encoding. {@code overLimits}: the input limits it
 * breaks, each a sentence; when there are any, {@code intent} is its bounded copy.
 */
public record ReceivedIntent(AgentIntent intent, byte[] rawValue, List<String> overLimits) {

    public ReceivedIntent {
        overLimits = List.copyOf(overLimits);
    }
}
