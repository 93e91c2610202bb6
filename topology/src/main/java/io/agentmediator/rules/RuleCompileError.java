package io.agentmediator.rules;

import java.util.Objects;

/**
 * Why one rule's condition does not compile, so its author can go straight to it.
 *
 * @param ruleIndex the rule's position in the list that was compiled
 * @param ruleId    the rule's id
 * @param line      1-based line within the condition, 0 when unknown
 * @param column    1-based column within the condition, 0 when unknown
 * @param message   what the CEL compiler objects to, e.g. {@code undeclared reference to 'intnet'}
 */
public record RuleCompileError(int ruleIndex, String ruleId, int line, int column, String message) {

    public RuleCompileError {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(message, "message");
    }

    /** {@code rule "schedule-variance" 1:7: undefined field 'atributes'}. */
    @Override
    public String toString() {
        String place = line > 0 ? " " + line + ":" + column : "";
        return "rule \"" + ruleId + "\"" + place + ": " + message;
    }
}
