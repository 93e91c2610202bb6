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
 * @param owner          the agent whose intent it is, in a scope several agents share (a pool); null where
 *                       the scope is the agent itself, and for pool reservations written before owners were
 *                       kept. Intent ids are unique only per agent, so in a pool the id alone does not say whose it is
 */
public record Reservation(String intentId, long estimateMicros, List<String> windowKeys, String owner) {

    public Reservation {
        Objects.requireNonNull(intentId, "intentId");
        windowKeys = List.copyOf(windowKeys);
        if (estimateMicros < 0) {
            throw new IllegalArgumentException("an estimate cannot be negative: " + estimateMicros);
        }
        if (owner != null && owner.isEmpty()) {
            throw new IllegalArgumentException("an owner cannot be empty");
        }
    }

    /** Whether {@code agentId} may settle or release it: its owner, or anyone when no owner is known. */
    boolean closableBy(String agentId) {
        return owner == null || owner.equals(agentId);
    }
}
