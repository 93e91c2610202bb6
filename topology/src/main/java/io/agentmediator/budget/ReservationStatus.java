package io.agentmediator.budget;

/** Where a reservation stands: held, turned into spending, or given back. */
public enum ReservationStatus {
    /** Held in its windows as reserved, until the intent is settled one way or the other. */
    OPEN,
    /** Completed: its windows count the actual (or, without one, the estimated) cost as spent. */
    SETTLED,
    /** Rejected, expired, failed or compensated: its windows no longer count it. */
    RELEASED
}
