package io.agentmediator.rules;

/** Whether a rule decides, or is only recorded so its effect can be watched before it is enforced. */
public enum RuleMode {
    ENFORCE, AUDIT
}
