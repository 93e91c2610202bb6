package io.agentmediator.cases;

import io.agentmediator.policy.Approver;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.ApprovalDecision;
import java.util.Optional;

/**
 * Whether an approver may answer an escalation: listed in the policy, with a tier at least the
 * escalation's, and, when the approver is limited to departments, one of them the agent's. An
 * escalation at a tier the policy in force no longer has (renamed or removed since it opened) may be
 * approved by nobody: no tier of the new policy can be said to be at least it, and letting any
 * approver approve would let the lowest tier approve what needed the highest. Any approver may deny
 * it, since a denial gives nobody more than they had, and frees its reservation before the deadline.
 */
public final class ApproverEligibility {

    private ApproverEligibility() {}

    /** Why this approver may not answer; empty when they may. */
    public static Optional<String> refusal(Policy policy, String approverId, String escalationTier, String agentDepartment,
            ApprovalDecision decision) {
        Approver approver = policy.approvers().stream().filter(a -> a.id().equals(approverId)).findFirst().orElse(null);
        if (approver == null) {
            return Optional.of("approver " + approverId + " is not in policy " + policy.version());
        }
        boolean tierGone = escalationTier != null && policy.tierRank(escalationTier) < 0;
        if (tierGone && decision == ApprovalDecision.APPROVE) {
            return Optional.of("this escalation needs " + escalationTier + ", a tier policy " + policy.version()
                    + " no longer has: no approver may approve it, any may deny it");
        }
        if (escalationTier != null && !tierGone && policy.tierRank(approver.tier()) < policy.tierRank(escalationTier)) {
            return Optional.of("approver " + approverId + " answers up to " + approver.tier() + "; this escalation needs " + escalationTier);
        }
        if (!approver.departments().isEmpty() && !approver.departments().contains(agentDepartment)) {
            return Optional.of("approver " + approverId + " answers for " + approver.departments() + ", not for "
                    + (agentDepartment == null ? "an agent without a department" : agentDepartment));
        }
        return Optional.empty();
    }
}
