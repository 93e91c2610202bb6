package io.agentmediator.cases;

import io.agentmediator.policy.Approver;
import io.agentmediator.policy.Policy;
import java.util.Optional;

/**
 * Whether an approver may answer an escalation: listed in the policy, with a tier at least the
 * escalation's, and, when the approver is limited to departments, one of them the agent's. An
 * escalation at a tier the policy in force no longer has (renamed or removed since it opened) may
 * be answered by nobody: no tier of the new policy can be said to be at least it, and letting any
 * approver answer would let the lowest tier approve what needed the highest.
 */
public final class ApproverEligibility {

    private ApproverEligibility() {}

    /** Why this approver may not answer; empty when they may. */
    public static Optional<String> refusal(Policy policy, String approverId, String escalationTier, String agentDepartment) {
        Approver approver = policy.approvers().stream().filter(a -> a.id().equals(approverId)).findFirst().orElse(null);
        if (approver == null) {
            return Optional.of("approver " + approverId + " is not in policy " + policy.version());
        }
        if (escalationTier != null && policy.tierRank(escalationTier) < 0) {
            return Optional.of("this escalation needs " + escalationTier + ", a tier policy " + policy.version()
                    + " no longer has: no approver may answer it");
        }
        if (escalationTier != null && policy.tierRank(approver.tier()) < policy.tierRank(escalationTier)) {
            return Optional.of("approver " + approverId + " answers up to " + approver.tier() + "; this escalation needs " + escalationTier);
        }
        if (!approver.departments().isEmpty() && !approver.departments().contains(agentDepartment)) {
            return Optional.of("approver " + approverId + " answers for " + approver.departments() + ", not for "
                    + (agentDepartment == null ? "an agent without a department" : agentDepartment));
        }
        return Optional.empty();
    }
}
