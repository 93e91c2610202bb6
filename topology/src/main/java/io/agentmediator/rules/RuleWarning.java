package io.agentmediator.rules;

import java.util.Objects;

/**
 * Something about a rule that compiles that its author should know before it is put in force, such as
 * a cost that grows with the square of the intent's lists.
 *
 * @param ruleIndex the rule's position in the list that was compiled
 * @param ruleId    the rule's id
 * @param message   what to know, as a sentence
 */
public record RuleWarning(int ruleIndex, String ruleId, String message) {

    public RuleWarning {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return "rule \"" + ruleId + "\": " + message;
    }
}
