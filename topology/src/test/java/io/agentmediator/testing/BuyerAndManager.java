package io.agentmediator.testing;

/** The smallest policy with a human loop: a buyer whose commitments over 1,000 micro-units escalate to its department's manager. */
public final class BuyerAndManager {

    private BuyerAndManager() {}

    /** The policy as YAML, under {@code version}; proc-manager signs with its {@link TestKeys} key. */
    public static String policy(String version) {
        return """
                version: "%s"
                defaults: { escalationTimeout: PT4H }
                tiers: [MANAGER]
                agents:
                  - id: buyer
                    department: procurement
                    capabilities: { actions: ["*"], targets: ["*"] }
                    authority: { maxCommitmentMicros: 1000 }
                    budgets: [ { window: DAY, limitMicros: 10000000 } ]
                approvers:
                  - { id: proc-manager, tier: MANAGER, departments: [procurement], publicKey: "%s" }
                """.formatted(version, TestKeys.publicKey("proc-manager"));
    }
}
