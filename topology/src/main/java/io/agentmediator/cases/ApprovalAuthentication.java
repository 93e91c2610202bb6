package io.agentmediator.cases;

import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Approver;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.Approval;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * Whether an approval comes from the approver it names, and whether that approver may answer for
 * this agent at all. The tier and department are {@link ApproverEligibility}'s.
 */
final class ApprovalAuthentication {

    private ApprovalAuthentication() {}

    /**
     * The signature, checked where the record is read: with the approver's {@code publicKey}, or, for
     * a supervisor agent listed as an approver without one, its agent key.
     */
    static Optional<Refusal> signature(Policy policy, Approval approval, byte[] value, Headers headers) {
        String approverId = approval.getApproverId();
        return RecordSignatures.refusal(policy.signatures().approvals(), "approval by " + approverId, approverId,
                key(policy, approverId), value, headers);
    }

    /** Who answers, checked in the agent's partition against the agent the escalation is about. */
    static Optional<Refusal> authority(Policy policy, Approval approval, String agentId) {
        String approverId = approval.getApproverId();
        if (approverId.equals(agentId)) {
            return Optional.of(new Refusal(RefusalCode.OWN_INTENT, approverId + " cannot answer the escalation of its own intent"));
        }
        Optional<Approver> approver = policy.approver(approverId);
        String owner = policy.agent(agentId).map(AgentProfile::owner).orElse(null);
        if (approverId.equals(owner) && !approver.map(Approver::answersForOwnAgents).orElse(false)) {
            return Optional.of(new Refusal(RefusalCode.OWN_AGENT, approverId + " owns agent " + agentId
                    + " and may not answer its escalations (answersForOwnAgents is not set)"));
        }
        // Workers bound a supervisor agent, and still bound it once the policy no longer lists it as an agent: dropping the
        // agent must not widen what its approver entry may answer to every agent of its tier.
        boolean bounded = policy.agent(approverId).isPresent() || !approver.map(Approver::workers).orElse(List.of()).isEmpty();
        if (approver.isPresent() && bounded && !approver.get().supervises(agentId)) {
            return Optional.of(new Refusal(RefusalCode.NOT_A_WORKER, describe(policy, approverId) + " answers for its workers "
                    + approver.get().workers() + ", and " + agentId + " is not one of them"));
        }
        return Optional.empty();
    }

    /** How the case file names the approver: an agent that approves is said to be one. */
    static String describe(Policy policy, String approverId) {
        return policy.agent(approverId).isPresent() ? "supervisor agent " + approverId : approverId;
    }

    private static PublicKey key(Policy policy, String approverId) {
        Optional<Approver> approver = policy.approver(approverId);
        if (approver.isEmpty()) {
            return null;
        }
        if (approver.get().publicKey() != null) {
            return approver.get().publicKey();
        }
        return policy.agent(approverId).map(AgentProfile::publicKey).orElse(null);
    }
}
