package io.agentmediator.demo;

import io.agentmediator.cases.ApproverEligibility;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Approver;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The people who answer the demo's escalations. Each open escalation is answered by the approver
 * the policy lets answer it, the lowest tier first and a department's own manager before anyone
 * answering for every department: about 70 % approve, the rest deny, the same way for the same
 * seed. Before them, a few people who may not answer (a manager of another department, a manager
 * for a board matter, someone the policy does not list) try to approve; the mediator must record
 * those and change nothing.
 *
 * <p>Everyone signs with their {@link DemoKeys} key, the one the example policy registers for the
 * approvers it lists (the outsider's it does not).
 *
 * <p>The approvers know their own remit, as people do; whether an answer counts is still the
 * mediator's decision, which is what the demo shows.
 */
public final class SimulatedApprover {

    private static final int APPROVING_PERCENT = 70;
    private static final int INELIGIBLE_ATTEMPTS = 5;
    private static final String OUTSIDER = "intern@example.com";
    private static final List<String> APPROVING = List.of(
            "checked, go ahead", "fits this quarter's plan", "agreed with the team");
    private static final List<String> DENYING = List.of(
            "not this quarter", "needs more detail first", "too close to the limit");

    private final Policy policy;
    private final Serializer<Approval> serializer;
    private final String topic;
    private final long seed;

    public SimulatedApprover(Policy policy, Serializer<Approval> serializer, String topic, long seed) {
        this.policy = policy;
        this.serializer = serializer;
        this.topic = topic;
        this.seed = seed;
    }

    /** The answers to these open escalations, in the order to send them. */
    public ApprovalRound answer(List<Decision> openEscalations) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, String> ineligible = new LinkedHashMap<>();
        long approvals = 0;
        long denials = 0;
        for (Decision escalation : openEscalations) {
            String intentId = escalation.getIntentId();
            String department = policy.agent(escalation.getAgentId()).map(AgentProfile::department).orElse(null);
            Optional<Approver> approver = policy.approvers().stream()
                    .filter(candidate -> mayAnswer(candidate, escalation.getTier(), department))
                    .min(Comparator.<Approver>comparingInt(candidate -> policy.tierRank(candidate.tier()))
                            .thenComparing(candidate -> candidate.departments().isEmpty()));
            if (approver.isEmpty()) {
                // Nobody may answer it; it will expire, as it would in production.
                continue;
            }
            if (ineligible.size() < INELIGIBLE_ATTEMPTS) {
                String ineligibleApprover = ineligibleApprover(escalation.getTier(), department, ineligible.size());
                ineligible.put(intentId, ineligibleApprover);
                records.add(record(escalation, ineligibleApprover, ApprovalDecision.APPROVE, "looks fine to me"));
            }
            Random dice = Dice.of(seed, "approver", intentId);
            boolean approve = dice.nextInt(100) < APPROVING_PERCENT;
            List<String> comments = approve ? APPROVING : DENYING;
            records.add(record(escalation, approver.get().id(), approve ? ApprovalDecision.APPROVE : ApprovalDecision.DENY,
                    comments.get(dice.nextInt(comments.size()))));
            if (approve) {
                approvals++;
            } else {
                denials++;
            }
        }
        return new ApprovalRound(records, approvals, denials, ineligible);
    }

    /** The mediator's own rule for approving (the stricter one), so the demo's approvers are the ones it will accept. */
    private boolean mayAnswer(Approver approver, String tier, String department) {
        return ApproverEligibility.refusal(policy, approver.id(), tier, department, ApprovalDecision.APPROVE).isEmpty();
    }

    /** The {@code attempt}-th person, among those who may not answer this escalation, to try anyway. */
    private String ineligibleApprover(String tier, String department, int attempt) {
        List<String> candidates = new ArrayList<>();
        policy.approvers().stream().filter(approver -> !mayAnswer(approver, tier, department)).map(Approver::id).forEach(candidates::add);
        candidates.add(OUTSIDER);
        return candidates.get(attempt % candidates.size());
    }

    private ProducerRecord<byte[], byte[]> record(Decision escalation, String approverId, ApprovalDecision decision, String comment) {
        String intentId = escalation.getIntentId();
        Approval approval = new Approval(intentId, approverId, decision, comment, escalation.getAgentId(), escalation.getIntentSha256());
        return DemoKeys.signed(new ProducerRecord<>(topic, intentId.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, approval)),
                approverId);
    }

    /**
     * What the approvers send.
     *
     * @param records    approvals keyed by intent id, each ineligible attempt before the answer that counts
     * @param approvals  eligible approvals among them
     * @param denials    eligible denials among them
     * @param ineligible intent id to the person who tried to answer it without the right to
     */
    public record ApprovalRound(List<ProducerRecord<byte[], byte[]>> records, long approvals, long denials, Map<String, String> ineligible) {

        public ApprovalRound {
            records = List.copyOf(records);
            ineligible = Map.copyOf(ineligible);
        }

        /** The answers that count: each should turn one escalation into a decision. */
        public long answers() {
            return approvals + denials;
        }
    }
}
