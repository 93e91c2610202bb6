package io.agentmediator.policyreload;

/** Case files of policy documents share the audit topic with intents, under their own keys. */
public final class PolicyCases {

    private PolicyCases() {}

    public static String caseId(String policyId, String version) {
        return "policy:" + policyId + ":" + version;
    }
}
