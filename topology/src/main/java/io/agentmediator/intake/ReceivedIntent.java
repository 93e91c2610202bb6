package io.agentmediator.intake;

import io.agentmediator.schema.AgentIntent;

/**
 * A decoded intent with the exact bytes it arrived as: agents sign those bytes, so the gate
 * verifies signatures over them, not over a re-encoding.
 */
public record ReceivedIntent(AgentIntent intent, byte[] rawValue) {}
