package io.agentmediator.gate;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.controls.AgentBar;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.decision.Verdict;
import io.agentmediator.guard.EntryGuard;
import io.agentmediator.keys.Picked;
import io.agentmediator.ledger.ClaimPlan;
import io.agentmediator.ledger.LedgerOutbox;
import io.agentmediator.partition.AgentPartition;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.schema.internal.LedgerStep;
import io.agentmediator.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes the decisions of intents parked for their claims, from the resource ledger's answers
 * (keyed by agent id): GRANTED publishes the gate's decision with what is now held, CONFLICT turns it
 * into an escalation (or a rejection), POOL_EXCEEDED rejects it and releases its reservation. Whatever
 * the answer, an intent of an agent suspended since it was parked (kill switch or policy) is rejected
 * AGENT_SUSPENDED, and one of an agent the policy no longer lists UNKNOWN_AGENT, its reservation
 * released and the ledger told to let go of what it granted; so is one granted only after its {@code expiresAt}
 * (EXPIRED), which must not be executed then. Every
 * {@code housekeepingInterval} of wall-clock time, intents the ledger has not answered within
 * {@code claimsTimeout} (a request lost to a fault, a dead-lettered one) are rejected
 * CLAIMS_UNANSWERED, their reservation released and the ledger told to let go of the entries their
 * claims were sent to (their resources, and the pool the agent had then), so a lost answer never holds
 * a budget for ever. A dependency reply (from {@code dependency-waits}) says a dependency of a parked intent,
 * completed when it woke, was undone since: the intent is rejected DEPENDENCY_FAILED the same way.
 */
public final class ClaimAnswers implements Processor<String, LedgerReply, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(ClaimAnswers.class);

    private final CurrentPolicy policy;
    private final Suspensions suspensions;
    private final Duration dedupeRetention;
    private final Duration housekeepingInterval;
    private final Duration claimsTimeout;
    private final boolean intentsStampedByBroker;
    /** This instance's wall clock when it took the task: intents parked since were parked on the same clock. */
    private long initializedAt;
    private final DecisionRoutes publishing;
    private final String requestsChild;
    private final ReadHorizon horizon;
    private AgentPartition partition;
    private DecisionWriter writer;
    private LedgerOutbox ledger;
    private ProcessorContext<Object, Object> context;
    /** Whether this task's first check has given a time to the intents parked without one. */
    private boolean parkedTimed;

    public ClaimAnswers(CurrentPolicy policy, Suspensions suspensions, Duration dedupeRetention, Duration housekeepingInterval,
            Duration claimsTimeout, boolean intentsStampedByBroker, DecisionRoutes publishing, String requestsChild, ReadHorizon horizon) {
        this.intentsStampedByBroker = intentsStampedByBroker;
        this.horizon = horizon;
        this.policy = policy;
        this.suspensions = suspensions;
        this.dedupeRetention = dedupeRetention;
        this.housekeepingInterval = housekeepingInterval;
        this.claimsTimeout = claimsTimeout;
        this.publishing = publishing;
        this.requestsChild = requestsChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        // Kafka Streams revives a task (after an aborted commit, say) with the same processor: its first check files again
        // what the aborted transaction may have filed.
        parkedTimed = false;
        initializedAt = context.currentSystemTimeMs();
        partition = AgentPartition.open(context, dedupeRetention);
        writer = publishing.writer(context, partition);
        ledger = new LedgerOutbox(context, requestsChild);
        EntryGuard guard = EntryGuard.of(context);
        // A reply given in time may still be unread after an outage: the timeout counts up to what the task has read.
        PacedCheck.schedule(context, housekeepingInterval, (now, max) -> giveUp(now, horizon.at(now), max, guard));
    }

    @Override
    public void process(Record<String, LedgerReply> record) {
        LedgerReply reply = record.value();
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (reply.getKind() == LedgerReplyKind.DEPENDENCY) {
            undone(reply, at);
            return;
        }
        AuditRecord waiting = partition.parked(reply.getIntentId());
        if (waiting == null || !waiting.getAgentId().equals(reply.getAgentId())) {
            // It gave up waiting (CLAIMS_UNANSWERED) before this answer came, or the intent waiting under the id is another
            // agent's (ids reused beyond the dedupe memory), which waits on for its own: what the ledger granted goes back.
            log.warn("the resource ledger answered {} for intent {} of {}, which is no longer waiting for its claims; releasing {}",
                    reply.getKind(), Printable.escape(reply.getIntentId()), Printable.escape(reply.getAgentId()), reply.getGranted());
            ledger.release(reply.getIntentId(), reply.getAgentId(), reply.getGranted(), at);
            return;
        }
        Long parkedSince = partition.parkedSince(reply.getIntentId());
        Instant madeAt = madeAt(at, parkedSince);
        AuditRecord pending = partition.unpark(reply.getIntentId());
        Policy inForce = policy.get();
        Decision gate = pending.getDecision();
        Verdict verdict = new Verdict(gate.getOutcome(), gate.getTier(), gate.getReasons(), pending.getChecks());
        // The agent's other intents may have moved its budget since this one was parked: the case file shows it as of this decision.
        List<BudgetState> budgets = budgets(reply.getAgentId(), at, inForce);
        List<String> held = reply.getGranted();
        switch (reply.getKind()) {
            case GRANTED -> verdict = ClaimVerdicts.granted(verdict, held);
            case CONFLICT -> verdict = ClaimVerdicts.conflict(verdict, reply, inForce);
            case POOL_EXCEEDED -> {
                verdict = ClaimVerdicts.poolExceeded(verdict, reply);
                budgets = release(reply.getAgentId(), reply.getIntentId(), at, inForce);
                held = List.of();
            }
            case DEPENDENCY -> throw new IllegalStateException("a dependency reply was taken for a claim answer");
        }
        Optional<AgentBar> barred = suspensions.bar(reply.getAgentId(), inForce);
        Optional<StillAllowed.Refusal> forbidden = barred.isPresent() ? Optional.empty()
                : StillAllowed.rejection(inForce, reply.getAgentId(), pending.getIntent(), at, pending.getIntentKeyFingerprint())
                        .or(() -> StillAllowed.ruleRejection(inForce, pending));
        Optional<String> expired = barred.isPresent() || forbidden.isPresent() || reply.getKind() != LedgerReplyKind.GRANTED
                ? Optional.empty() : expiredWhileOut(pending.getIntent(), at, parkedSince);
        if (barred.isPresent() || forbidden.isPresent() || expired.isPresent()) {
            // The case file keeps what the ledger answered; the bar, or a policy that took the action or the agent's key away
            // since, or whose rules reject it, or the intent's expiry passed meanwhile, overrules it and everything goes back.
            verdict = barred.isPresent() ? ClaimVerdicts.barred(verdict, reply.getAgentId(), barred.get())
                    : forbidden.isPresent() ? ClaimVerdicts.forbidden(verdict, inForce.version(), forbidden.get())
                    : ClaimVerdicts.expired(verdict, expired.get());
            if (reply.getKind() != LedgerReplyKind.POOL_EXCEEDED) {
                budgets = release(reply.getAgentId(), reply.getIntentId(), at, inForce);
            }
            ledger.release(reply.getIntentId(), reply.getAgentId(), reply.getGranted(), at);
            held = List.of();
        }
        // Dated at the intent's arrival, as every decision is (rules, deadlines and replays judge by it), but its case file
        // says when it was made: an approval or outcome sent while its claims were out answers what nobody could see yet.
        writer.publish(reply.getAgentId(), reply.getIntentId(), pending.getIntent(), verdict, budgets, inForce, at, madeAt, pending, held);
    }

    /**
     * When the decision was made, on the intents' clock: their arrival plus the wall-clock time the intent was parked. The
     * broker stamped the arrival after the intent was sent and the ledger answered before the decision was published, so
     * this is never after the decision could be seen, outage or backlog alike: an answer sent once it could be seen counts.
     * That holds when one clock timed the wait: an intent parked before this instance took the task (another instance's
     * clock, or this one's before a restart) is taken as made at its arrival, as every decision was before, rather than
     * refuse an honest answer for a clock apart. Intents stamped by their producers (CreateTime, for replays) bear no
     * relation to the wall clock: their arrival too.
     */
    private Instant madeAt(Instant arrived, Long parkedSince) {
        if (!intentsStampedByBroker || parkedSince == null || parkedSince < initializedAt) {
            return arrived;
        }
        return arrived.plusMillis(Math.max(0, context.currentSystemTimeMs() - parkedSince));
    }

    /**
     * Why a granted intent may no longer be executed: its {@code expiresAt} passed while its claims were out. The time it is
     * granted at is its arrival plus the wall-clock time it was parked, so a backlog read after an outage or in a replay
     * is judged by how long its claims took, not by how old it is; and that time counts only up to what the mediator has
     * read, as the claims timeout does, so an answer given in time and read after an outage still counts.
     */
    private Optional<String> expiredWhileOut(AgentIntent intent, Instant arrived, Long parkedSince) {
        if (intent.getExpiresAt() == null || parkedSince == null) {
            return Optional.empty();
        }
        long read = horizon.at(Instant.ofEpochMilli(context.currentSystemTimeMs())).toEpochMilli();
        long outMillis = Math.max(0, read - parkedSince);
        Instant granted = arrived.plusMillis(outMillis);
        if (granted.isBefore(intent.getExpiresAt())) {
            return Optional.empty();
        }
        return Optional.of("the intent expired at " + intent.getExpiresAt() + " while its claims were out (granted " + outMillis
                + " ms after it arrived at " + arrived + "); it must not be executed after its expiry, and what was granted and"
                + " reserved is released");
    }

    private List<BudgetState> release(String agentId, String intentId, Instant at, Policy inForce) {
        partition.release(agentId, intentId);
        return budgets(agentId, at, inForce);
    }

    private List<BudgetState> budgets(String agentId, Instant at, Policy inForce) {
        return CaseFiles.budgetStates(agentId, partition.usage(agentId, at, inForce));
    }

    /** Rejects up to {@code max} intents whose claims went unanswered for the claims timeout; says whether it stopped at that bound. */
    private boolean giveUp(Instant now, Instant readTo, int max, EntryGuard guard) {
        if (!parkedTimed) {
            int filed = partition.fileParkedWithoutSince(now.toEpochMilli());
            if (filed > 0) {
                log.info("{} intents parked by an earlier version without the time they were parked wait for the claims timeout"
                        + " from {}", filed, now);
            }
            parkedTimed = true;
        }
        Picked<Long> overdue = partition.parkedBy(readTo.minus(claimsTimeout), max);
        for (KeyValue<String, Long> parked : overdue.entries()) {
            guard.attempt("the claims of intent " + Printable.escape(parked.key),
                    () -> unanswered(parked.key, Instant.ofEpochMilli(parked.value), now));
        }
        return overdue.stoppedShort();
    }

    private void unanswered(String intentId, Instant since, Instant now) {
        withdraw(intentId, ClaimVerdicts.CLAIMS, ReasonCode.CLAIMS_UNANSWERED, "the resource ledger did not answer this intent's claims"
                + " within the claims timeout of " + claimsTimeout + " (waiting since " + since + "); its reservation is released", now);
    }

    /**
     * A dependency of the parked intent, completed when it woke, was reported FAILED or COMPENSATED since: it cannot go
     * ahead whatever its claims' answer, which is let go of when it comes.
     */
    private void undone(LedgerReply reply, Instant at) {
        AuditRecord parked = partition.parked(reply.getIntentId());
        if (!DependencyNotice.concerns(reply, parked)) {
            log.debug("dependency {} of {} was reported {} after the intent was decided", Printable.escape(reply.getDependency()),
                    Printable.escape(reply.getIntentId()), reply.getDependencyStatus());
            return;
        }
        withdraw(reply.getIntentId(), GateDecider.DEPENDENCIES, ReasonCode.DEPENDENCY_FAILED, "dependency "
                + Printable.escape(reply.getDependency()) + " was reported " + reply.getDependencyStatus() + " after it had completed,"
                + " while this intent's claims were out; it cannot go ahead, and its reservation is released", at);
    }

    /** Rejects the parked intent before its claims' answer: its reservation released, the ledger told to let go of them. */
    private void withdraw(String intentId, String check, ReasonCode code, String message, Instant now) {
        List<String> sentTo = partition.claimsSentTo(intentId);
        AuditRecord pending = partition.unpark(intentId);
        if (pending == null) {
            return;
        }
        Policy inForce = policy.get();
        List<BudgetState> budgets = release(pending.getAgentId(), pending.getIntentId(), now, inForce);
        // Dated, as its claim was, at the intent's arrival: the claim's own holds go, not an earlier intent's under the same id.
        ledger.withdrawClaim(pending.getIntentId(), pending.getAgentId(), sentTo.isEmpty() ? underPolicy(pending, inForce) : sentTo,
                pending.getDecision().getDecidedAt(), now);
        List<CheckResult> checks = new ArrayList<>(pending.getChecks());
        checks.add(new CheckResult(check, CheckStatus.FAIL, code, null, message));
        Verdict verdict = new Verdict(DecisionOutcome.REJECT, null, List.of(new Reason(code, null, message)), checks);
        writer.publish(pending.getAgentId(), pending.getIntentId(), pending.getIntent(), verdict, budgets, inForce, now, now, pending, List.of());
    }

    /**
     * Where the claims of an intent parked by a version that did not keep where they went would go under {@code inForce}:
     * right unless the agent's pool changed since. An agent the policy no longer lists has no pool to name; its resource
     * claims are in the intent itself.
     */
    private static List<String> underPolicy(AuditRecord pending, Policy inForce) {
        return inForce.agent(pending.getAgentId())
                .map(agent -> ClaimPlan.steps(pending.getIntent(), agent, inForce))
                .orElseGet(() -> ClaimPlan.claims(pending.getIntent()))
                .stream().map(LedgerStep::getKey).toList();
    }
}
