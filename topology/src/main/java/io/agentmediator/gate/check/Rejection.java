package io.agentmediator.gate.check;

import io.agentmediator.schema.ReasonCode;

/**
 * Why a check rejects an intent: a stable code and a sentence a person can read; for a RULE, the rule's id, which the
 * decision's reason must name (its contract) wherever the rule is evaluated, at the gate or when a policy published since
 * is applied to an intent already decided.
 */
public record Rejection(ReasonCode code, String message, String ruleId) {

    public Rejection(ReasonCode code, String message) {
        this(code, message, null);
    }
}
