package io.agentmediator.testing;

import java.time.Duration;

/** The smallest policy with a human loop: a buyer whose commitments over 1,000 micro-units escalate to its department's manager. */
public final class BuyerAndManager {

    private BuyerAndManager() {}

    /** The policy as YAML, under {@code version}; proc-manager signs with its {@link TestKeys} key. */
    public static String policy(String version) {
        return policy(version, Duration.ofHours(4));
    }

    /** The policy, its escalations unanswered for {@code escalationTimeout} rejected ESCALATION_EXPIRED. */
    public static String policy(String version, Duration escalationTimeout) {
        return """
                version: "%s"
                defaults: { escalationTimeout: %s }
                tiers: [MANAGER]
                agents:
                  - id: buyer
                    department: procurement
                    capabilities: { actions: ["*"], targets: ["*"] }
                    authority: { maxCommitmentMicros: 1000 }
                    budgets: [ { window: DAY, limitMicros: 10000000 } ]
                approvers:
                  - { id: proc-manager, tier: MANAGER, departments: [procurement], publicKey: "%s" }
                """.formatted(version, escalationTimeout, TestKeys.publicKey("proc-manager"));
    }
}
