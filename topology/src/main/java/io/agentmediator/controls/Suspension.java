package io.agentmediator.controls;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator pulled the kill switch on an agent (or on every agent): who, when and why, for the
 * reason texts and case files of what it stops.
 *
 * @param scope  the agent id, or {@link Suspensions#ALL}
 * @param reason the operator's sentence
 * @param by     who pulled it
 * @param at     when it was published
 */
public record Suspension(String scope, String reason, String by, Instant at) {

    public Suspension {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
    }

    /** The switch {@code control} pulls on {@code scope}. */
    static Suspension of(String scope, Control control) {
        return new Suspension(scope, control.reason(), control.by(), control.at());
    }

    /**
     * What follows "agent X was" in the reason of a decision taken after the switch closed something the
     * agent had open: {@code suspended by alice at 2026-...: runaway spending}, or {@code suspended with
     * every agent by ...}.
     */
    public String describePast() {
        return (scope.equals(Suspensions.ALL) ? "suspended with every agent" : "suspended") + " by " + by + " at " + at + ": " + reason;
    }

    /** The sentence a rejection quotes: {@code suspended by alice at 2026-...: runaway spending}. */
    public String describe() {
        return (scope.equals(Suspensions.ALL) ? "every agent is suspended" : "suspended") + " by " + by + " at " + at + ": " + reason;
    }
}
