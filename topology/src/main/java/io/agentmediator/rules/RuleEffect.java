package io.agentmediator.rules;

/** What a rule does to an intent when its condition holds. */
public enum RuleEffect {
    REJECT, ESCALATE
}
