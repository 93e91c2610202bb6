package io.agentmediator.budget;

/**
 * What releasing or reconciling a reservation did. Outcomes come from executors, which may report an
 * intent twice or report one that never held anything; those are answered, not thrown, so the gate can
 * record them in the case file and go on.
 */
public enum Settlement {
    /** The reservation was open and now is released or settled. */
    APPLIED,
    /**
     * No open reservation of the owner's: never reserved, already settled or released (which deleted it), or,
     * in a pool, held under the same intent id by another agent's intent, which this leaves as it is.
     */
    NO_RESERVATION
}
