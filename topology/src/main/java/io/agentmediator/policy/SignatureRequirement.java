package io.agentmediator.policy;

/** Whether approvals or outcomes must be signed by a key the policy registers for the id they name. */
public enum SignatureRequirement {
    /** Unsigned or wrongly signed records are refused: the default. */
    REQUIRED,
    /**
     * For development only: an unsigned record counts as it says, from whoever it names; a signed one
     * must still verify. {@code policy validate} warns about it.
     */
    OPTIONAL
}
