package io.agentmediator.budget;

import java.util.List;
import java.util.Objects;

/**
 * An open reservation: the cost one intent was charged and the windows it was charged in, so that
 * releasing or reconciling it later touches exactly those windows, even after the calendar has moved
 * on or the policy changed. It exists only while open: settling or releasing it deletes it, and what
 * it finally cost lives on in its windows' balances.
 *
 * @param estimateMicros the cost reserved at decision time
 * @param windowKeys     the windows charged, at most one per kind of budget window
 */
public record Reservation(String intentId, long estimateMicros, List<String> windowKeys) {

    public Reservation {
        Objects.requireNonNull(intentId, "intentId");
        windowKeys = List.copyOf(windowKeys);
        if (estimateMicros < 0) {
            throw new IllegalArgumentException("an estimate cannot be negative: " + estimateMicros);
        }
    }
}
