package io.agentmediator.rules;

import java.util.Objects;

/**
 * What one rule made of one intent. Every rule's outcome is recorded, whatever its mode: deciding what
 * an outcome changes (AUDIT rules change nothing, an ERROR escalates RULE_ERROR) is the gate's job.
 *
 * @param detail why the rule could not be evaluated, for {@link Status#ERROR}; null otherwise
 */
public record RuleOutcome(Rule rule, Status status, String detail) {

    /** Whether the rule's condition held. */
    public enum Status {
        FIRED, NOT_FIRED, ERROR
    }

    public RuleOutcome {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(status, "status");
        if ((status == Status.ERROR) != (detail != null)) {
            throw new IllegalArgumentException("an ERROR outcome, and only an ERROR outcome, has a detail");
        }
    }

    static RuleOutcome of(Rule rule, boolean fired) {
        return new RuleOutcome(rule, fired ? Status.FIRED : Status.NOT_FIRED, null);
    }

    static RuleOutcome error(Rule rule, String detail) {
        return new RuleOutcome(rule, Status.ERROR, detail);
    }
}
