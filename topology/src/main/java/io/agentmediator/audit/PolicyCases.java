package io.agentmediator.audit;

/** Case files of policy documents share the audit topic with intents, under their own keys. */
public final class PolicyCases {

    private PolicyCases() {}

    /** The case of an accepted version: one per version, so the audit topic says when each came in force. */
    public static String caseId(String policyId, String version) {
        return AuditKeys.POLICY + policyId + ":" + version;
    }

    /**
     * The case of a refused document, keyed by where it was read: a refusal must never overwrite
     * the case of the accepted version it may share a version string with.
     */
    public static String refusedCaseId(String policyId, String version, int partition, long offset) {
        return caseId(policyId, version) + ":refused:" + partition + "-" + offset;
    }
}
