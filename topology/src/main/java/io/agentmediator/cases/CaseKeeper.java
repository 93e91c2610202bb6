package io.agentmediator.cases;

import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.partition.AgentPartition;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.audit.AuditKeys;
import io.agentmediator.audit.CaseFiles;
import io.agentmediator.audit.Timeline;
import io.agentmediator.controls.AgentBar;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.gate.StillAllowed;
import io.agentmediator.guard.EntryGuard;
import io.agentmediator.keys.Picked;
import io.agentmediator.text.Printable;
import io.agentmediator.budget.Settlement;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.decision.Verdict;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.budget.Money;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.schema.internal.LedgerStep;
import io.agentmediator.ledger.ClaimPlan;
import io.agentmediator.ledger.LedgerKey;
import io.agentmediator.ledger.LedgerOutbox;
import io.agentmediator.ledger.LedgerRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Closes the loop in the agent's partition, where the case, its escalation and its budget
 * reservation live.
 *
 * <p>Reads: {@link CaseEvent}s keyed by agent id. One that fails {@link CaseEventAuthentication}
 * (unsigned, forged, an approver answering for itself or its own agent, an executor out of its
 * scope) is written into the case as refused and changes nothing. An approval from an approver the policy allows
 * turns an open escalation into EXECUTE (APPROVED, decided by the approver); a denial rejects it
 * (DENIED) and releases its reservation; any other approval changes nothing and is written into
 * the case with why. An outcome settles an executed intent's reservation: the actual cost
 * replaces the estimate (COMPLETED without one keeps the estimate; FAILED and COMPENSATED without
 * one release it). Every {@code checkInterval} of wall-clock time, so it happens with no traffic,
 * escalations past their deadline are rejected (ESCALATION_EXPIRED), those of agents the policy
 * or a kill switch now suspends (AGENT_SUSPENDED) and those of agents the policy no longer lists
 * (UNKNOWN_AGENT), all releasing their reservation; an approval that reaches such an agent's
 * escalation first rejects it so, and is not applied.
 *
 * <p>What an intent holds in the resource ledger follows its case: a denial, an expiry, a
 * suspension or the agent's removal from the policy releases it, an outcome settles it (and tells
 * the intents waiting for this one), and an approved RESOURCE_CONFLICT takes its claims regardless
 * of capacity; these requests go to
 * {@code requestsChild}, keyed by ledger entry. Executed cases
 * untouched for {@code caseRetention} are forgotten, with what they hold (checked every
 * {@code housekeepingInterval}, up to {@link #RETENTION_PER_PASS} a pass); a closed case's owner is
 * forgotten through {@code ownersChild}.
 *
 * <p>Works on the state of the agent's partition through {@link AgentPartition}, as the agent gate
 * does. Writes signed decisions to the child for their outcome and every changed case file to
 * {@code auditChild}.
 */
public final class CaseKeeper implements Processor<String, CaseEvent, Object, Object> {

    /**
     * Executed cases forgotten per pass at most (see {@link PacedCheck}): one never reported costs about a decision (its
     * case file says its estimate counted as spent), so a pass holds the stream thread for some 35 ms, where a check of
     * 10,000 held it for seconds. Passes 100 ms apart while more are due keep the pace those checks had, every 10 s:
     * up to 1,000 a second per partition.
     */
    static final int RETENTION_PER_PASS = 100;
    /** Executed cases an older version wrote filed into the index by last change per check: reads, and nothing sent. */
    static final int INDEX_BATCH = 10_000;

    private final CurrentPolicy policy;
    private final Suspensions suspensions;
    private final UnaryOperator<Decision> signDecision;
    private final Duration checkInterval;
    private final Duration housekeepingInterval;
    private final Map<DecisionOutcome, String> routes;
    private final String auditChild;
    private final String requestsChild;
    private final String ownersChild;
    private final Duration caseRetention;
    private final Duration dedupeRetention;
    private final ReadHorizon horizon;
    private ProcessorContext<Object, Object> context;
    private EntryGuard guard;
    private AgentPartition partition;
    private LedgerOutbox ledger;
    private EscalationCloser closer;
    /** The policy in force at the last check; null until the first check after init. */
    private Policy policyAtLastCheck;
    /** Every open escalation is read until the horizon reaches this time; null when none needs to be. */
    private Instant readAllUntil;
    /** The kill switches in force at the last check. */
    private long pullsAtLastCheck;
    private final boolean intentsStampedByBroker;

    public CaseKeeper(
            CurrentPolicy policy,
            Suspensions suspensions,
            UnaryOperator<Decision> signDecision,
            Duration checkInterval,
            Duration housekeepingInterval,
            Map<DecisionOutcome, String> routes,
            String auditChild,
            String requestsChild,
            String ownersChild,
            Duration caseRetention,
            Duration dedupeRetention,
            boolean intentsStampedByBroker,
            ReadHorizon horizon) {
        this.horizon = horizon;
        this.intentsStampedByBroker = intentsStampedByBroker;
        this.dedupeRetention = dedupeRetention;
        this.requestsChild = requestsChild;
        this.ownersChild = ownersChild;
        this.caseRetention = caseRetention;
        this.policy = policy;
        this.suspensions = suspensions;
        this.signDecision = signDecision;
        this.checkInterval = checkInterval;
        this.housekeepingInterval = housekeepingInterval;
        this.routes = new EnumMap<>(routes);
        this.auditChild = auditChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        partition = AgentPartition.open(context, dedupeRetention);
        ledger = new LedgerOutbox(context, requestsChild);
        closer = new EscalationCloser(context, partition, ledger, signDecision, routes, auditChild, ownersChild);
        guard = EntryGuard.of(context);
        policyAtLastCheck = null;
        pullsAtLastCheck = -1;
        readAllUntil = null;
        // Wall-clock time, not stream time: deadlines must pass even when no agent sends anything. Which have passed is
        // asked of the read horizon: an answer given in time may still be unread after an outage.
        PacedCheck.schedule(context, checkInterval, this::closeOverdue);
        // Cases an older version filed are not in the index by last change yet: file them first, a batch a check.
        context.schedule(housekeepingInterval, PunctuationType.WALL_CLOCK_TIME, now -> partition.fileUnindexedExecuted(INDEX_BATCH));
        // Each pass reads only the cases that are due, and forgets a bounded batch of them: how often passes run is how
        // many a partition can forget. Hourly checks forgot fewer than a partition executes at three intents a second, and
        // executed-cases grew for as long as such traffic lasted.
        PacedCheck.schedule(context, housekeepingInterval, RETENTION_PER_PASS, this::forgetSettled);
    }

    @Override
    public void process(Record<String, CaseEvent> record) {
        CaseEvent event = record.value();
        Instant at = Instant.ofEpochMilli(record.timestamp());
        AuditRecord caseFile = partition.openCase(event.getIntentId());
        // One version for the whole answer: the one that authenticated it applies it and signs what it decides.
        Policy inForce = policy.get();
        Optional<String> refusal = CaseEventAuthentication.atCase(inForce, record.key(), event, caseFile);
        if (refusal.isPresent()) {
            note(record.key(), event, caseFile, event.getApproval() != null ? "APPROVAL" : "OUTCOME", CaseRouter.actor(event), refusal.get(), at, inForce);
            return;
        }
        if (event.getApproval() != null) {
            approve(record.key(), event, event.getApproval(), at, inForce);
        } else {
            report(record.key(), event, event.getOutcome(), at, inForce);
        }
    }

    private void approve(String agentId, CaseEvent event, Approval approval, Instant at, Policy inForce) {
        AuditRecord open = partition.escalation(event.getIntentId());
        if (open == null) {
            AuditRecord executed = partition.executed(event.getIntentId());
            String why = "no open escalation: the intent was already decided" + (executed == null ? "" : " (" + executed.getStage() + ")");
            note(agentId, event, executed, "APPROVAL", approval.getApproverId(), why, at, inForce);
            return;
        }
        Instant decidedAt = CaseFiles.madeAt(open);
        if (at.isBefore(decidedAt)) {
            // Read before its owner was known, it waited for the case (OwnerWaits): it was written before anyone could see the
            // escalation, its tier or its reasons, so it answers something else (an approval given in advance, a guess).
            note(agentId, event, open, "APPROVAL", approval.getApproverId(), approval.getDecision() + " not applied: it arrived at " + at
                    + ", before the escalation it would answer was decided at " + decidedAt + "; the escalation stays open", at, inForce);
            return;
        }
        Optional<AgentBar> barred = suspensions.bar(agentId, inForce);
        if (barred.isPresent()) {
            // The bar wins over an answer that comes before the next check closes the escalation.
            closeUnapplied(agentId, event, open, approval, "the agent was " + barred.get().phrase(), barredReason(barred.get(), agentId),
                    at, inForce);
            return;
        }
        Instant deadline = open.getDecision().getDeadline();
        if (deadline != null && !at.isBefore(deadline)) {
            // The check that closes overdue escalations runs every checkInterval of wall-clock time, and not at all while the
            // mediator is down: the answer's own time (the broker's, at arrival) is what says it came too late.
            closeUnapplied(agentId, event, open, approval, "it arrived at " + at + ", not before the deadline " + deadline,
                    expiredReason(open), at, inForce);
            return;
        }
        String department = inForce.agent(agentId).map(AgentProfile::department).orElse(null);
        Optional<String> refusal = ApproverEligibility.refusal(inForce, approval.getApproverId(), open.getDecision().getTier(), department,
                approval.getDecision());
        if (refusal.isEmpty() && approval.getDecision() == ApprovalDecision.APPROVE) {
            // What the policy in force has taken from the agent since it escalated may be denied, not approved.
            refusal = StillAllowed.rejection(inForce, agentId, open.getIntent(), at, open.getIntentKeyFingerprint())
                    .or(() -> StillAllowed.ruleRejection(inForce, open))
                    .map(StillAllowed.Refusal::rejection)
                    .map(rejection -> "policy " + inForce.version() + " no longer allows it (" + rejection.code() + ": " + rejection.message()
                            + "), so it may be denied, not approved");
        }
        if (refusal.isEmpty() && inForce.agent(approval.getApproverId()).isPresent()) {
            // A supervisor agent's answer is one of its actions: a kill switch or the policy stopping it stops this too.
            refusal = suspensions.bar(approval.getApproverId(), inForce)
                    .map(bar -> "supervisor agent " + approval.getApproverId() + " is " + bar.phrase() + ", so it answers nothing");
        }
        if (refusal.isPresent()) {
            note(agentId, event, open, "APPROVAL", approval.getApproverId(), refusal.get() + "; the escalation stays open", at, inForce);
            return;
        }
        boolean approved = approval.getDecision() == ApprovalDecision.APPROVE;
        String comment = approval.getComment() == null || approval.getComment().isBlank() ? "" : ": " + approval.getComment();
        String approver = ApprovalAuthentication.describe(inForce, approval.getApproverId());
        Reason reason = Verdict.bounded(approved
                ? new Reason(ReasonCode.APPROVED, null, "approved by " + approver + comment)
                : new Reason(ReasonCode.DENIED, null, "denied by " + approver + comment));
        String released = approved ? null : closer.release(agentId, event.getIntentId(), open, at);
        List<BudgetState> budgets = approved ? null : closer.settledStates(open, at, inForce);
        if (approved && conflicted(open.getDecision())) {
            takeRegardless(agentId, open, at);
        }
        Decision decision = closer.answer(open.getDecision(), approved ? DecisionOutcome.EXECUTE : DecisionOutcome.REJECT, reason,
                approval.getApproverId(), inForce, at);
        List<TimelineEntry> steps = new ArrayList<>();
        steps.add(Timeline.entry(at, "APPROVAL", approval.getApproverId(), approval.getDecision() + comment + " (" + event.getSource() + ")"));
        steps.add(Timeline.entry(at, "DECIDED", approval.getApproverId(), decision.getOutcome() + "; " + reason.getMessage()));
        if (!approved) {
            steps.add(Timeline.entry(at, "RELEASED", DecisionFactory.MEDIATOR, released));
        } else if (conflicted(open.getDecision())) {
            steps.add(Timeline.entry(at, "HELD", DecisionFactory.MEDIATOR, "claims taken regardless of capacity: the conflict was approved"));
        }
        CaseFileValue caseFile = CaseFileValue.of(CaseFiles.advanced(open, CaseStage.valueOf(decision.getOutcome().name()), decision, null,
                budgets, inForce.version(), at, steps));
        partition.closeEscalation(event.getIntentId(), approved ? caseFile : null);
        if (!approved) {
            closer.forgetOwner(event.getIntentId(), at);
        }
        closer.emit(agentId, decision, caseFile, at);
    }

    /**
     * Writes the approval into the escalation as not applied, and why, then closes the escalation for {@code reason}: the
     * same reading of the bar as the note's, which the global thread may change at any moment.
     */
    private void closeUnapplied(String agentId, CaseEvent event, AuditRecord open, Approval approval, String why, Reason reason,
                                Instant at, Policy inForce) {
        note(agentId, event, open, "APPROVAL", approval.getApproverId(), approval.getDecision() + " not applied: " + why, at, inForce);
        closer.reject(partition.escalation(event.getIntentId()), reason, inForce, at);
    }

    private void report(String agentId, CaseEvent event, Outcome outcome, Instant at, Policy inForce) {
        AuditRecord executed = partition.executed(event.getIntentId());
        String reporter = CaseRouter.actor(event);
        if (executed == null) {
            AuditRecord open = partition.escalation(event.getIntentId());
            note(agentId, event, open, "OUTCOME", reporter,
                    "outcome " + outcome.getStatus() + " for an intent that was never executed, or whose execution was already"
                            + " reported FAILED or COMPENSATED, or forgotten after case.retention; it changes nothing", at, inForce);
            return;
        }
        Instant decidedAt = CaseFiles.madeAt(executed);
        if (at.isBefore(decidedAt)) {
            // As an approval that came before its escalation: nothing executed this decision before it was made.
            note(agentId, event, executed, "OUTCOME", reporter, "outcome " + outcome.getStatus() + " arrived at " + at
                    + ", before the intent was decided EXECUTE at " + decidedAt + ", so it reports nothing done on that decision;"
                    + " it changes nothing", at, inForce);
            return;
        }
        if (executed.getOutcome() != null && executed.getOutcome().getStatus() == outcome.getStatus()) {
            // An executor's retry: the first report settled the case, and its figures stay the case's.
            note(agentId, event, executed, "OUTCOME", reporter, "outcome " + outcome.getStatus()
                    + " again; the first one reported settled this case, and this one changes nothing", at, inForce);
            return;
        }
        Long actual = outcome.getActualCostMicros();
        AgentPartition.Settled settled = partition.settle(agentId, event.getIntentId(), outcome.getStatus(), actual);
        String money;
        if (settled.settlement() != Settlement.APPLIED) {
            money = "budget unchanged: no open reservation (already settled or released)";
        } else if (actual != null) {
            money = "actual cost " + Money.format(actual) + " replaces the estimate of " + EscalationCloser.estimate(executed);
        } else if (outcome.getStatus() == OutcomeStatus.COMPLETED) {
            money = "the estimate of " + EscalationCloser.estimate(executed) + " is spent";
        } else {
            money = "the reservation of " + EscalationCloser.estimate(executed) + " is released";
        }
        tellLedger(agentId, event.getIntentId(), outcome, settled.heldKeys(), at);
        String detail = outcome.getDetail() == null ? "" : ": " + outcome.getDetail();
        List<TimelineEntry> steps = List.of(
                Timeline.entry(at, "OUTCOME", reporter, outcome.getStatus() + detail + " (" + event.getSource() + ")"),
                Timeline.entry(at, outcome.getStatus() == OutcomeStatus.COMPLETED ? "SETTLED" : "RELEASED", DecisionFactory.MEDIATOR, money));
        AuditRecord caseFile = CaseFiles.advanced(executed, CaseStage.valueOf(outcome.getStatus().name()), null, outcome,
                closer.settledStates(executed, at, inForce), inForce.version(), at, steps);
        CaseFileValue filed = CaseFileValue.of(caseFile);
        if (outcome.getStatus() == OutcomeStatus.COMPLETED) {
            // A completed action may still be compensated later; keep the case where that outcome can find it.
            partition.update(event.getIntentId(), filed, false);
        } else {
            partition.closeExecuted(event.getIntentId());
            closer.forgetOwner(event.getIntentId(), at);
        }
        context.forward(new Record<Object, Object>(caseFile.getIntentId(), filed, at.toEpochMilli()), auditChild);
    }

    /**
     * Rejects up to {@code max} open escalations that are past their deadline or whose agent is now barred (suspended,
     * or no longer listed by the policy); the rest in the passes that follow (see {@link PacedCheck}). Says whether it
     * stopped at that bound.
     * Those past their deadline are found by their deadline alone.
     * Those of a barred agent only by reading them all: at the first check after init (which also
     * indexes escalations opened by a version without the index), and at the first check after a new
     * policy or a new kill switch, until a read goes to the end. Once, because from the moment this instance knows of the bar nothing
     * opens an escalation for the agent: the gate rejects its intents and {@code ClaimAnswers} those
     * whose claims were out, so every escalation it has is open already.
     */
    private boolean closeOverdue(Instant now, int max) {
        Instant readTo = horizon.at(now);
        Policy inForce = policy.get();
        long pulls = suspensions.pulls();
        // Every accepted policy record (a re-publish of the same version too) is a new object, so it reads once more. Every
        // switch pulled since the last check reads too, the same one pulled again after a lift as well (a copy of an older
        // suspend written again is accepted): escalations may have opened while it was lifted.
        if (inForce != policyAtLastCheck || pulls != pullsAtLastCheck) {
            readAllUntil = now;
            partition.readEscalationsFromTheStart();
        }
        policyAtLastCheck = inForce;
        pullsAtLastCheck = pulls;
        Picked<AuditRecord> overdue;
        if (readAllUntil != null) {
            overdue = partition.escalations(open -> {
                Decision escalation = open.getDecision();
                boolean late = escalation.getDeadline() != null && !readTo.isBefore(escalation.getDeadline());
                return late || suspensions.bar(open.getAgentId(), inForce).isPresent();
            }, max);
            if (!overdue.stoppedShort() && !readTo.isBefore(readAllUntil)) {
                // Reading them all also finds what the deadline index lacks (escalations a version before it opened): their
                // deadlines count once the horizon has caught up with the check that asked for the read, and the read,
                // over as many passes as it took, has come to the last of them.
                readAllUntil = null;
            }
        } else {
            overdue = partition.escalationsDue(readTo, max);
        }
        for (KeyValue<String, AuditRecord> entry : overdue.entries()) {
            guard.attempt("the open escalation " + Printable.escape(entry.key), () -> closeOverdue(entry.value, inForce, readTo, now));
        }
        return overdue.stoppedShort();
    }

    /**
     * Closes {@code open} if it is still overdue: barred, or past its deadline as far as the mediator has read. The bar is read
     * here once more, not taken from the pick: a resume on the global thread since leaves an escalation picked for its bar open
     * until its deadline, rather than closed as expired before it.
     */
    private void closeOverdue(AuditRecord open, Policy inForce, Instant readTo, Instant now) {
        Optional<AgentBar> barred = suspensions.bar(open.getAgentId(), inForce);
        Instant deadline = open.getDecision().getDeadline();
        if (barred.isPresent()) {
            closer.reject(open, barredReason(barred.get(), open.getAgentId()), inForce, now);
        } else if (deadline != null && !readTo.isBefore(deadline)) {
            closer.reject(open, expiredReason(open), inForce, now);
        }
    }

    private static Reason barredReason(AgentBar bar, String agentId) {
        return new Reason(bar.code(), null, Printable.escape(bar.sentence(agentId, "this escalation was open")));
    }

    private static Reason expiredReason(AuditRecord open) {
        Instant deadline = open.getDecision().getDeadline();
        return new Reason(ReasonCode.ESCALATION_EXPIRED, null, "no eligible answer by the deadline " + deadline + whyThen(open, deadline));
    }

    /**
     * Tells the ledger how the intent ended: its pool charge and resource holds are settled, and
     * intents waiting for it (task:&lt;id&gt;) learn it. Holds of a completed intent stay until their
     * window ends, and may still be released by a later COMPENSATED. A COMPLETED changes nothing at a resource any more,
     * but is still sent there: a ledger partition on a pod of an earlier version, in a rolling upgrade, keeps a completed
     * booking past its intent's expiry only when told.
     */
    private void tellLedger(String agentId, String intentId, Outcome outcome, List<String> held, Instant at) {
        List<String> keys = new ArrayList<>(held);
        keys.add(LedgerKey.task(intentId).toString());
        for (String key : keys) {
            ledger.send(key, LedgerRequests.outcome(intentId, agentId, outcome.getStatus(), outcome.getActualCostMicros(), at), at);
        }
    }

    private static boolean conflicted(Decision escalation) {
        return escalation.getReasons().stream().anyMatch(reason -> reason.getCode() == ReasonCode.RESOURCE_CONFLICT);
    }

    /** An approved conflict takes its claims whatever the capacity; the person saw who else holds them. */
    private void takeRegardless(String agentId, AuditRecord open, Instant at) {
        List<LedgerStep> claims = ClaimPlan.claims(open.getIntent());
        for (LedgerStep claim : claims) {
            ledger.send(claim.getKey(), LedgerRequests.force(open.getIntent(), agentId, claim, at), at);
        }
        partition.hold(open.getIntentId(), claims.stream().map(LedgerStep::getKey).toList());
    }

    /**
     * Forgets executed cases once nothing has happened to them for the case retention: an outcome
     * after that is recorded as matching no case. An intent never reported is taken as having spent its
     * estimate, from its pool too, and the resources it holds are released.
     */
    /** Forgets up to {@code max} executed cases unchanged for the case retention; says whether it stopped at that bound. */
    private boolean forgetSettled(Instant now, int max) {
        // Unchanged for the retention as far as the mediator has read: the outcome that settles a case in time may still be
        // unread after an outage, and forgotten first, the case's estimate counted as spent and its holds were let go. A
        // replay of history at producers' times (CreateTime) goes by them: the wall clock is past every case it replays,
        // whose outcomes, replayed next, would find them settled at their estimates and their holds let go.
        Instant readTo = intentsStampedByBroker ? horizon.at(now)
                : Instant.ofEpochMilli(Math.min(horizon.at(now).toEpochMilli(), context.currentStreamTimeMs()));
        Picked<AuditRecord> settled = partition.executedUnchangedSince(readTo.minus(caseRetention), max);
        for (KeyValue<String, AuditRecord> entry : settled.entries()) {
            guard.attempt("the settled case " + Printable.escape(entry.key), () -> forgetSettled(entry, now));
        }
        return settled.stoppedShort();
    }

    private void forgetSettled(KeyValue<String, AuditRecord> entry, Instant now) {
        // Never reported: the action was approved to run, so its estimate counts as spent, in its pool too,
        // and the resources it holds are let go, as nobody will settle them now. A completed intent's holds
        // are real commitments and stay in the ledger until their window ends.
        boolean reported = entry.value.getStage() == CaseStage.COMPLETED;
        List<String> unsettled = partition.forgetExecuted(entry.value.getAgentId(), entry.key, reported);
        ledger.settleUnreported(entry.key, entry.value.getAgentId(), unsettled, now);
        closer.forgetOwner(entry.key, now);
        if (!reported) {
            // The budget changed on the case's behalf: its case file, the last the audit topic keeps of it, says so.
            String settled = "no outcome reported within the case retention of " + caseRetention + ": the estimate of "
                    + EscalationCloser.estimate(entry.value) + " counts as spent" + (unsettled.isEmpty() ? ""
                    : "; in the resource ledger, " + String.join(", ", unsettled) + " settled so (a pool's charge spent, a resource's hold released)");
            // Its budget snapshot is taken now, after the settling, so the case file written last of it is the latest word on its windows.
            Policy inForce = policy.get();
            AuditRecord caseFile = CaseFiles.advanced(entry.value, entry.value.getStage(), null, null,
                    closer.settledStates(entry.value, now, inForce), inForce.version(), now,
                    List.of(Timeline.entry(now, "SETTLED", DecisionFactory.MEDIATOR, settled)));
            context.forward(new Record<Object, Object>(caseFile.getIntentId(), caseFile, now.toEpochMilli()), auditChild);
        }
    }

    /** What besides the escalation timeout set the deadline: the intent's expiry, or the end of a claim's window; nothing else. */
    private static String whyThen(AuditRecord caseFile, Instant deadline) {
        AgentIntent intent = caseFile.getIntent();
        if (intent == null) {
            return "";
        }
        if (deadline.equals(intent.getExpiresAt())) {
            return ", when the intent itself expires";
        }
        return intent.getClaims().stream().filter(claim -> deadline.equals(claim.getUntil())).findFirst()
                .map(claim -> ", when its claim on " + claim.getResourceId() + " ends").orElse("");
    }

    /** Writes an approval or outcome that changes nothing into the case it names, or into one of its own. */
    private void note(String agentId, CaseEvent event, AuditRecord caseFile, String kind, String actor, String why, Instant at, Policy inForce) {
        CaseFileValue noted;
        if (caseFile != null) {
            noted = CaseFileValue.of(CaseFiles.noted(caseFile, Timeline.entry(at, kind, actor, why + " (" + event.getSource() + ")")));
            partition.update(event.getIntentId(), noted, caseFile.getStage() == CaseStage.ESCALATE);
        } else {
            String caseId = AuditKeys.unmatchedAnswer(event.getIntentId(), kind.toLowerCase(java.util.Locale.ROOT), event.getSource());
            noted = CaseFileValue.of(CaseFiles.unmatched(caseId, event.getIntentId(), agentId, kind.toLowerCase(java.util.Locale.ROOT), why,
                    actor, inForce.version(), at));
        }
        context.forward(new Record<Object, Object>(noted.caseFile().getIntentId(), noted, at.toEpochMilli()), auditChild);
    }
}
