package io.agentmediator.gate;

import io.agentmediator.decision.Verdict;
import io.agentmediator.audit.CaseFiles;
import io.agentmediator.partition.AgentPartition;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ResourceClaim;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Publishes the mediator's decision on an intent, whichever way it was reached (on arrival, after
 * the resource ledger answered, after its dependencies finished or never did), and leaves behind
 * what the rest of its story needs: the signed decision on the topic for its outcome, the case
 * file on the audit topic and, while a person or an executor may still act on it, filed in the
 * {@link AgentPartition} with the ledger entries it holds; and its owner, so approvals and outcomes
 * find it.
 */
final class DecisionWriter {

    private final ProcessorContext<Object, Object> context;
    private final UnaryOperator<Decision> signDecision;
    private final Map<DecisionOutcome, String> routes;
    private final String auditChild;
    private final String ownersChild;
    private final AgentPartition partition;

    DecisionWriter(ProcessorContext<Object, Object> context, AgentPartition partition, UnaryOperator<Decision> signDecision,
            Map<DecisionOutcome, String> routes, String auditChild, String ownersChild) {
        this.context = context;
        this.signDecision = signDecision;
        this.routes = new EnumMap<>(routes);
        this.auditChild = auditChild;
        this.ownersChild = ownersChild;
        this.partition = partition;
    }

    /**
     * The unsigned decision a verdict makes at {@code at}; an escalation's deadline counts from then, and is never later
     * than the intent's own expiry: an approval after that would execute what must not be executed. Nor later than the end
     * of a claim's window, which voids the intent as its expiry does (an intent arriving after it is rejected EXPIRED):
     * approved after that, a booking of a time gone by was executed, holding nothing.
     *
     * @param intentSha256 the digest of the intent's value bytes ({@link GateInput#intentSha256})
     */
    static Decision decision(String recordKey, AgentIntent intent, String intentSha256, Verdict verdict, Policy inForce, Instant at) {
        Instant deadline = null;
        if (verdict.outcome() == DecisionOutcome.ESCALATE) {
            deadline = earlier(at.plus(inForce.defaults().escalationTimeout()), intent.getExpiresAt());
            for (ResourceClaim claim : intent.getClaims()) {
                deadline = earlier(deadline, claim.getUntil());
            }
        }
        return DecisionFactory.decide(recordKey, intent, intentSha256, verdict, inForce.version(), at, deadline);
    }

    private static Instant earlier(Instant deadline, Instant end) {
        return end != null && end.isBefore(deadline) ? end : deadline;
    }

    /**
     * Answers a retry: the DUPLICATE decision alone, leaving the original's case file as it was. It names the retry's own
     * digest, so what was refused can be told from what was decided under the id before.
     */
    void answerDuplicate(String recordKey, AgentIntent intent, String intentSha256, Verdict verdict, Policy inForce, Instant at) {
        Decision decision = signDecision.apply(decision(recordKey, intent, intentSha256, verdict, inForce, at));
        forward(decision.getAgentId(), decision, routes.get(decision.getOutcome()), at);
    }

    /**
     * Publishes the decision of an intent that waited for its claims, and its case file, bound to the digest the gate
     * recorded in it. The decision is dated {@code at}; {@code madeAt}, not before it, is when it was made (the resource
     * ledger answered then): its case file's DECIDED step says so, and answers sent before it answer nothing anyone saw.
     *
     * @param caseId  the key of the case file (the intent id, or a stand-in for an intent without one)
     * @param budgets the budget windows as the decision left them
     * @param history the case file the intent had while it waited
     * @param held    the ledger entries the intent now holds; released or settled later through them
     */
    Decision publish(String recordKey, String caseId, AgentIntent intent, Verdict verdict, List<BudgetState> budgets, Policy inForce,
            Instant at, Instant madeAt, AuditRecord history, List<String> held) {
        // An intent that waited for its claims has its decision, digest included, in its case file already.
        String intentSha256 = history == null || history.getDecision() == null ? null : history.getDecision().getIntentSha256();
        return publish(recordKey, caseId, intent, intentSha256, verdict, budgets, inForce, at, madeAt, history, held);
    }

    /** Publishes the decision, bound to the intent's digest, and its case file, made at the time it is dated. */
    Decision publish(String recordKey, String caseId, AgentIntent intent, String intentSha256, Verdict verdict, List<BudgetState> budgets,
            Policy inForce, Instant at, AuditRecord history, List<String> held) {
        return publish(recordKey, caseId, intent, intentSha256, verdict, budgets, inForce, at, at, history, held);
    }

    private Decision publish(String recordKey, String caseId, AgentIntent intent, String intentSha256, Verdict verdict,
            List<BudgetState> budgets, Policy inForce, Instant at, Instant madeAt, AuditRecord history, List<String> held) {
        Decision decision = signDecision.apply(decision(recordKey, intent, intentSha256, verdict, inForce, at));
        String agentId = decision.getAgentId();
        forward(agentId, decision, routes.get(decision.getOutcome()), at);
        // Filed and published as one value: an executed intent's case file is encoded once for both.
        AuditRecord decided = CaseFiles.decided(caseId, intent, verdict, decision, budgets, at, madeAt, history);
        if (decision.getOutcome() == DecisionOutcome.ESCALATE) {
            // What an approval checks the key in force against. Parked for its claims, the intent was verified with the key the
            // gate recorded then, not necessarily the one in force now.
            boolean parked = history != null && history.getDecision() != null;
            decided.setIntentKeyFingerprint(parked ? history.getIntentKeyFingerprint()
                    : StillAllowed.verifiedWith(inForce, agentId));
        }
        CaseFileValue caseFile = CaseFileValue.of(decided);
        partition.file(caseId, decision.getOutcome(), caseFile, held);
        forward(caseId, caseFile, auditChild, at);
        if (decision.getOutcome() != DecisionOutcome.REJECT) {
            // Approvals and outcomes arrive keyed by intent id; this tells them which partition holds the case.
            forward(caseId, agentId, ownersChild, at);
        }
        return decision;
    }

    /** A case file that is not a decision (an intent beginning to wait), on the audit topic. */
    void audit(AuditRecord caseFile, Instant at) {
        forward(caseFile.getIntentId(), caseFile, auditChild, at);
    }

    private void forward(Object key, Object value, String child, Instant at) {
        context.forward(new Record<Object, Object>(key, value, at.toEpochMilli()), child);
    }
}
