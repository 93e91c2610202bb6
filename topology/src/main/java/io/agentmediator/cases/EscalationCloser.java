package io.agentmediator.cases;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.audit.Timeline;
import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.Money;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.ledger.LedgerOutbox;
import io.agentmediator.partition.AgentPartition;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What the agent's partition writes when a case is answered: the signed decision to its route and the case file to
 * the audit topic, the escalated intent's holds let go, its owner forgotten once the case is closed. One escalation can
 * be closed by an answer, by the escalation check, and by a dependency undone after it escalated; each closes it the
 * same way through this.
 */
final class EscalationCloser {

    private final ProcessorContext<Object, Object> context;
    private final AgentPartition partition;
    private final LedgerOutbox ledger;
    private final UnaryOperator<Decision> signDecision;
    private final Map<DecisionOutcome, String> routes;
    private final String auditChild;
    private final String ownersChild;

    EscalationCloser(ProcessorContext<Object, Object> context, AgentPartition partition, LedgerOutbox ledger,
            UnaryOperator<Decision> signDecision, Map<DecisionOutcome, String> routes, String auditChild, String ownersChild) {
        this.context = context;
        this.partition = partition;
        this.ledger = ledger;
        this.signDecision = signDecision;
        this.routes = new EnumMap<>(routes);
        this.auditChild = auditChild;
        this.ownersChild = ownersChild;
    }

    /** Closes the open escalation as rejected by the mediator for {@code reason}, letting go of all it holds. */
    void reject(AuditRecord open, Reason reason, Policy inForce, Instant now) {
        String agentId = open.getAgentId();
        String released = release(agentId, open.getIntentId(), open, now);
        List<BudgetState> budgets = settledStates(open, now, inForce);
        Decision decision = answer(open.getDecision(), DecisionOutcome.REJECT, reason, DecisionFactory.MEDIATOR, inForce, now);
        AuditRecord caseFile = CaseFiles.advanced(open, CaseStage.REJECT, decision, null, budgets, inForce.version(), now, List.of(
                Timeline.entry(now, "DECIDED", DecisionFactory.MEDIATOR, "REJECT; " + reason.getMessage()),
                Timeline.entry(now, "RELEASED", DecisionFactory.MEDIATOR, released)));
        partition.closeEscalation(open.getIntentId(), null);
        forgetOwner(open.getIntentId(), now);
        emit(agentId, decision, CaseFileValue.of(caseFile), now);
    }

    Decision answer(Decision escalation, DecisionOutcome outcome, Reason reason, String decidedBy, Policy inForce, Instant at) {
        return signDecision.apply(Decision.newBuilder()
                .setIntentId(escalation.getIntentId())
                .setAgentId(escalation.getAgentId())
                .setCorrelationId(escalation.getCorrelationId())
                .setOutcome(outcome)
                .setTier(null)
                .setReasons(List.of(reason))
                .setPolicyVersion(inForce.version())
                .setDecidedAt(at)
                .setDecidedBy(decidedBy)
                .setDeadline(null)
                .setSignature(null)
                .setIntentSha256(escalation.getIntentSha256())
                .setAction(escalation.getAction())
                .setTarget(escalation.getTarget())
                .setCostMicros(escalation.getCostMicros())
                .setCommitmentMicros(escalation.getCommitmentMicros())
                .build());
    }

    /**
     * Lets go of everything the escalated intent holds, its reservation here and its pool charge and resource holds in the
     * resource ledger, and says so for its case file: the ledger's part is the one nothing else on the case shows.
     */
    String release(String agentId, String intentId, AuditRecord escalation, Instant at) {
        List<String> held = partition.release(agentId, intentId);
        ledger.release(intentId, agentId, held, at);
        return "reservation of " + estimate(escalation) + " released"
                + (held.isEmpty() ? "" : "; in the resource ledger, " + String.join(", ", held) + " released");
    }

    /**
     * The case is closed: nothing an approver or executor sends can change it any more, so the
     * intent's owner is forgotten (a tombstone on the compacted case-owners topic), which keeps that
     * topic and {@link CaseStores#INTENT_OWNERS} bounded. What arrives later is recorded as
     * matching no case.
     */
    void forgetOwner(String intentId, Instant at) {
        context.forward(new Record<Object, Object>(intentId, null, at.toEpochMilli()), ownersChild);
    }

    /**
     * The agent's windows after the case's reservation was released or settled: those at {@code at}, and those its case file
     * showed it charged to, which the settling changed. An outcome, denial or expiry after its window ended changed a window
     * no longer current, and the case file written last of the case must say how that window stands, or the audit trail's
     * last word on it stays the reservation. One housekeeping has since forgotten is left out: nothing changed it.
     */
    List<BudgetState> settledStates(AuditRecord caseFile, Instant at, Policy inForce) {
        String agentId = caseFile.getAgentId();
        String scope = CaseFiles.agentScope(agentId);
        List<WindowUsage> windows = new ArrayList<>(partition.usage(agentId, at, inForce));
        BudgetLedger ledger = partition.budget(agentId);
        for (BudgetState charged : caseFile.getBudgets()) {
            if (!charged.getScope().equals(scope) || windows.stream().anyMatch(usage -> same(usage, charged))) {
                continue;
            }
            // A window housekeeping has forgotten (over, nothing reserved) was not changed now, and read it would show as empty.
            partition.usage(agentId, charged.getWindowStart(), inForce).stream()
                    .filter(usage -> same(usage, charged) && ledger.balance(usage.window().key()) != null).forEach(windows::add);
        }
        return CaseFiles.budgetStates(agentId, windows);
    }

    private static boolean same(WindowUsage usage, BudgetState state) {
        return usage.window().window().name().equals(state.getWindow()) && usage.window().start().equals(state.getWindowStart());
    }

    static String estimate(AuditRecord caseFile) {
        return caseFile.getIntent() == null ? "(unknown)" : Money.format(caseFile.getIntent().getCostMicros());
    }

    /** The decision to its route, and its case file to the audit topic: one the store encoded as filed is sent as encoded. */
    void emit(String agentId, Decision decision, CaseFileValue caseFile, Instant at) {
        context.forward(new Record<Object, Object>(agentId, decision, at.toEpochMilli()), routes.get(decision.getOutcome()));
        context.forward(new Record<Object, Object>(caseFile.caseFile().getIntentId(), caseFile, at.toEpochMilli()), auditChild);
    }
}
