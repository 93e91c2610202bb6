package io.agentmediator.policy;

import java.util.Objects;

/**
 * A hard cost limit per calendar window, in integer micro-units (1.00 = 1,000,000), with an optional
 * utilisation ({@code warnAt}, 0..1) that raises a warning before the limit is reached.
 */
public record BudgetLimit(BudgetWindow window, long limitMicros, Double warnAt) {

    public BudgetLimit {
        Objects.requireNonNull(window, "window");
    }
}
