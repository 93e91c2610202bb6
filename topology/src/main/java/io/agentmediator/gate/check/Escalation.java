package io.agentmediator.gate.check;

import io.agentmediator.schema.ReasonCode;

/** Why an intent needs a human, and the lowest tier that may answer (null: any approver). */
public record Escalation(ReasonCode code, String ruleId, String message, String tier) {}
