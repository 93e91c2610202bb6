package io.agentmediator.cases;

/**
 * Why an approval or an outcome was refused: stable codes, written into the case file with a
 * sentence. A refused record changes nothing. Codes are only ever added.
 */
public enum RefusalCode {
    /** No signature header, and the policy requires signed records of this kind. */
    UNSIGNED,
    /** The signature (or its key id) does not check out against the key registered for the id the record names. */
    SIGNATURE_INVALID,
    /** The record names an id with no key in the policy to check a signature against. */
    NO_REGISTERED_KEY,
    /** An outcome that names no reporter, or one that is not among the policy's executors. */
    NOT_AN_EXECUTOR,
    /** An executor reporting on an intent of an agent or action it does not execute for. */
    EXECUTOR_OUT_OF_SCOPE,
    /** An approver answering the escalation of its own intent. */
    OWN_INTENT,
    /** An approver answering the escalation of an agent it owns, without leave to. */
    OWN_AGENT,
    /** A supervisor agent answering for an agent that is not one of its workers. */
    NOT_A_WORKER,
    /** An answer naming another agent than the one whose case the intent id names in that agent's partition. */
    ANOTHER_AGENTS_CASE,
    /** An answer bound to another intent (its intentSha256) than the one whose case its id names now: a replay, once the id was used again. */
    ANOTHER_INTENT,
    /** An answer that names no intentSha256 where the policy's {@code signatures.intentSha256} is REQUIRED. */
    UNBOUND
}
