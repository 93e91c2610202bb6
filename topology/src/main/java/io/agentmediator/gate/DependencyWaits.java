package io.agentmediator.gate;

import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.decision.Verdict;
import io.agentmediator.guard.EntryGuard;
import io.agentmediator.keys.Picked;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.ledger.LedgerOutbox;
import io.agentmediator.partition.AgentPartition;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.WaitingIntent;
import io.agentmediator.signing.IntentDigest;
import io.agentmediator.text.Printable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Intents waiting for their dependencies, told by the resource ledger (keyed by agent id) as each
 * dependency finishes: one FAILED or COMPENSATED rejects the intent (DEPENDENCY_FAILED); once all
 * have COMPLETED, the intent goes back to the agent gate ({@code gateChild}) as it arrived, to be
 * decided as if it had just arrived. Every {@code housekeepingInterval} of wall-clock time, intents
 * waiting past the policy's {@code dependencyTimeout} are rejected (DEPENDENCY_UNMET). An intent
 * rejected while dependencies are still pending tells their ledger partitions ({@code ledgerChild})
 * that it waits for them no more. A dependency that completed and was then reported FAILED or COMPENSATED
 * rejects an intent still waiting for others alike; for one woken already, the reply goes on to
 * {@code claimsChild} while its claims are out, where it is rejected before their answer, and else to
 * {@code reversalsChild}, where an escalation it opened is closed.
 *
 * <p>The woken intent stays recorded as waiting until the gate decides it, so a fault in the gate
 * leaves it to the dependency timeout rather than losing it.
 */
public final class DependencyWaits implements Processor<String, LedgerReply, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(DependencyWaits.class);

    private final CurrentPolicy policy;
    private final Duration dedupeRetention;
    private final Duration housekeepingInterval;
    private final DecisionRoutes publishing;
    private final String gateChild;
    private final String ledgerChild;
    private final String claimsChild;
    private final String reversalsChild;
    private final ReadHorizon horizon;
    private ProcessorContext<Object, Object> context;
    private AgentPartition partition;
    private DecisionWriter writer;
    private LedgerOutbox ledger;

    public DependencyWaits(CurrentPolicy policy, Duration dedupeRetention, Duration housekeepingInterval, DecisionRoutes publishing,
            String gateChild, String ledgerChild, String claimsChild, String reversalsChild, ReadHorizon horizon) {
        this.horizon = horizon;
        this.policy = policy;
        this.dedupeRetention = dedupeRetention;
        this.housekeepingInterval = housekeepingInterval;
        this.publishing = publishing;
        this.gateChild = gateChild;
        this.ledgerChild = ledgerChild;
        this.claimsChild = claimsChild;
        this.reversalsChild = reversalsChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        partition = AgentPartition.open(context, dedupeRetention);
        writer = publishing.writer(context, partition);
        ledger = new LedgerOutbox(context, ledgerChild);
        EntryGuard guard = EntryGuard.of(context);
        // Wall-clock time: a dependency that never finishes must give up even when no agent sends anything; but an outcome
        // given in time may still be unread after an outage, so the timeout counts up to what the task has read.
        PacedCheck.schedule(context, housekeepingInterval, (now, max) -> giveUp(now, horizon.at(now), max, guard));
    }

    @Override
    public void process(Record<String, LedgerReply> record) {
        LedgerReply reply = record.value();
        WaitingIntent waits = partition.waiting(reply.getIntentId());
        if (waits == null) {
            if (reply.getDependencyStatus() != OutcomeStatus.COMPLETED) {
                // Woken already, and the ledger tells it a dependency that had completed was undone since: its claims may
                // still be out, to be rejected before their answer; or it may have escalated, and then must not be approved.
                context.forward(record, partition.parked(reply.getIntentId()) != null ? claimsChild : reversalsChild);
            } else {
                // It was decided already: another dependency failed, or it gave up waiting.
                log.debug("dependency {} of {} finished after the intent was decided", Printable.escape(reply.getDependency()),
                        Printable.escape(reply.getIntentId()));
            }
            return;
        }
        // The reply carries its dependency's outcome time, which can be before the intent arrived: an outcome crosses two
        // more topics than the intent's wait does, so the ledger may hear of the wait first. Decided at the outcome's time,
        // the intent would be judged in a window that had closed when it was sent.
        Instant at = Instant.ofEpochMilli(Math.max(record.timestamp(), waits.getSince().toEpochMilli()));
        AuditRecord caseFile = waits.getCaseFile();
        if (!DependencyNotice.concerns(reply, caseFile)) {
            log.debug("dependency {} of an earlier intent {} finished; the one waiting under the id does not depend on it",
                    Printable.escape(reply.getDependency()), Printable.escape(reply.getIntentId()));
            return;
        }
        if (reply.getDependencyStatus() != OutcomeStatus.COMPLETED) {
            partition.wake(reply.getIntentId());
            List<String> stillPending = new ArrayList<>(waits.getPending());
            stillPending.remove(reply.getDependency());
            stopWaiting(waits, stillPending, at);
            reject(waits, ReasonCode.DEPENDENCY_FAILED,
                    "dependency " + reply.getDependency() + " " + reply.getDependencyStatus() + "; this intent cannot go ahead", at, policy.get());
            return;
        }
        List<String> pending = new ArrayList<>(waits.getPending());
        pending.remove(reply.getDependency());
        partition.await(reply.getIntentId(), WaitingIntent.newBuilder(waits).setPending(pending).build());
        if (pending.isEmpty()) {
            context.forward(new Record<Object, Object>(caseFile.getAgentId(), new ReceivedIntent(caseFile.getIntent(), rawValue(waits), List.of(), caseFile),
                    at.toEpochMilli(), headers(waits.getHeaders())), gateChild);
        }
    }

    /**
     * Rejects up to {@code max} intents that have waited for their dependencies past the policy's dependencyTimeout, or past
     * the time they could go ahead at all (their expiresAt, the end of a window they claim); says whether it stopped at that
     * bound.
     */
    private boolean giveUp(Instant now, Instant readTo, int max, EntryGuard guard) {
        // One version for the pass: the one whose timeout rejects an intent is the one its rejection names.
        Policy inForce = policy.get();
        Duration timeout = inForce.defaults().dependencyTimeout();
        Picked<WaitingIntent> overdue = partition.waitingIntents(
                waits -> !readTo.isBefore(WaitExpiry.giveUpAt(waits.getCaseFile().getIntent(), waits.getSince().plus(timeout))), max);
        for (KeyValue<String, WaitingIntent> entry : overdue.entries()) {
            guard.attempt("the waiting intent " + Printable.escape(entry.key), () -> {
                partition.wake(entry.key);
                List<String> pending = entry.value.getPending();
                stopWaiting(entry.value, pending, now);
                // Picked as overdue: an expiry before the timeout has passed.
                Optional<WaitExpiry> expired = WaitExpiry.before(entry.value.getCaseFile().getIntent(), entry.value.getSince().plus(timeout));
                // None pending: its dependencies completed, and the gate could not decide it (it was dead-lettered then).
                String waited = pending.isEmpty()
                        ? "; its dependencies completed, but it could not be decided (see the dead-letter topic)"
                        : " for " + String.join(", ", pending) + " to complete";
                if (expired.isPresent()) {
                    reject(entry.value, ReasonCode.EXPIRED, expired.get().what() + ", " + expired.get().at() + ", passed while it waited since "
                            + entry.value.getSince() + waited, now, inForce);
                } else {
                    reject(entry.value, ReasonCode.DEPENDENCY_UNMET, "waited since " + entry.value.getSince() + waited
                            + "; the dependency timeout of " + timeout + " has passed", now, inForce);
                }
            });
        }
        return overdue.stoppedShort();
    }

    /** Tells the ledger the intent waits for {@code tasks} no more, so their waiters go now rather than at their timeout. */
    private void stopWaiting(WaitingIntent waits, List<String> tasks, Instant at) {
        AuditRecord caseFile = waits.getCaseFile();
        ledger.stopWaiting(caseFile.getIntentId(), caseFile.getAgentId(), tasks, at);
    }

    /**
     * The rejection names the intent's digest as every other decision does: its bytes were kept while it waited. Its id is
     * remembered from now, for the dedupe retention: its wait may have outlasted the memory of its arrival.
     */
    private void reject(WaitingIntent waits, ReasonCode code, String message, Instant at, Policy inForce) {
        AuditRecord waited = waits.getCaseFile();
        partition.see(waited.getIntentId(), at);
        List<CheckResult> checks = new ArrayList<>(waited.getChecks());
        checks.add(new CheckResult(GateDecider.DEPENDENCIES, CheckStatus.FAIL, code, null, message));
        Verdict verdict = new Verdict(DecisionOutcome.REJECT, null, List.of(new Reason(code, null, message)), checks);
        writer.publish(waited.getAgentId(), waited.getIntentId(), waited.getIntent(), IntentDigest.of(rawValue(waits)), verdict, List.of(),
                inForce, at, waited, List.of());
    }

    private static byte[] rawValue(WaitingIntent waits) {
        byte[] raw = new byte[waits.getRawValue().remaining()];
        waits.getRawValue().duplicate().get(raw);
        return raw;
    }

    private static Headers headers(Map<String, ByteBuffer> kept) {
        RecordHeaders headers = new RecordHeaders();
        kept.forEach((key, value) -> {
            byte[] bytes = new byte[value.remaining()];
            value.duplicate().get(bytes);
            headers.add(key, bytes);
        });
        return headers;
    }
}
