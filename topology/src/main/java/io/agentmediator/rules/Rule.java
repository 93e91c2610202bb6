package io.agentmediator.rules;

import java.util.Objects;

/**
 * A policy rule: when the CEL condition {@code when} holds, the intent is rejected or escalated to
 * {@code tier} (null for REJECT). In AUDIT mode the result is only recorded. {@code message} is the
 * human sentence of the reason, null when the rule id has to do.
 */
public record Rule(String id, String when, RuleEffect effect, String tier, RuleMode mode, String message) {

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(mode, "mode");
    }
}
