package io.agentmediator.policy;

/** What a rule does to an intent when its condition holds. */
public enum RuleEffect {
    REJECT, ESCALATE
}
