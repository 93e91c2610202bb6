package io.agentmediator.gate;

import io.agentmediator.audit.AuditKeys;
import io.agentmediator.audit.CaseFiles;
import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.decision.Verdict;
import io.agentmediator.guard.EntryGuard;
import io.agentmediator.intake.DeadLetter;
import io.agentmediator.intake.RecordOrigin;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.ledger.ClaimPlan;
import io.agentmediator.ledger.LedgerKey;
import io.agentmediator.ledger.LedgerOutbox;
import io.agentmediator.ledger.LedgerRequests;
import io.agentmediator.partition.AgentPartition;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.ratelimit.TokenBucket;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.schema.internal.LedgerStep;
import io.agentmediator.schema.internal.WaitingIntent;
import io.agentmediator.text.Printable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent gate: decides every intent in the partition of its agent.
 *
 * <p>Reads {@link ReceivedIntent}s keyed by the record key: from the intake as they arrive, and from
 * {@link DependencyWaits} once everything an intent waited for has completed. An intent that
 * contends for nothing is decided in one hop. One that claims resources or charges a shared pool is
 * decided up to its claims, keeps its token and reservation, is parked in the {@link AgentPartition}
 * and its first CLAIM sent to the resource ledger; {@link ClaimAnswers} finishes its decision. One
 * that depends on other intents waits undecided (its case file, stage WAITING, on the audit topic)
 * and asks the ledger to tell it when each finishes. Every {@code housekeepingInterval} of wall-clock
 * time it forgets budget windows that are over, and the rate buckets of agents the policy no longer limits.
 *
 * <p>Decisions and case files are written by {@link DecisionWriter}. An intent that cannot be
 * decided because of a fault goes to {@code deadLetterChild} with nothing changed for it. Its state
 * is the partition's ({@link AgentPartition}). The decision time is the record timestamp, so a
 * replay decides the same way.
 */
public final class AgentGate implements Processor<String, ReceivedIntent, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(AgentGate.class);
    /**
     * Budget windows a housekeeping pass looks at, at most: a pass runs on the stream thread, and the windows of every
     * agent of a partition end together at the hour, day or month. Passes follow each other 100 ms apart while more are
     * due ({@link PacedCheck}), up to 2,000 windows a second per partition, where one run of 1,000 every 10 s forgot a
     * hundred a second, fewer than the hourly windows of 360,000 agents end.
     */
    public static final int WINDOWS_PER_PASS = 200;

    private final CurrentPolicy policy;
    private final Duration dedupeRetention;
    private final Duration housekeepingInterval;
    private final Decide decider;
    private final DecisionRoutes publishing;
    private final String deadLetterChild;
    private final String requestsChild;
    private final ReadHorizon horizon;
    private final int maxRecordBytes;
    private ProcessorContext<Object, Object> context;
    private AgentPartition partition;
    private DecisionWriter writer;
    private LedgerOutbox ledger;
    /** The policy the round over the rate buckets in progress judges by, and the one the last finished round did. */
    private Policy bucketsRoundUnder;
    private Policy bucketsRoundDoneUnder;

    public AgentGate(
            CurrentPolicy policy,
            Duration dedupeRetention,
            Duration housekeepingInterval,
            Decide decider,
            DecisionRoutes publishing,
            String deadLetterChild,
            String requestsChild,
            ReadHorizon horizon,
            int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.policy = policy;
        this.dedupeRetention = dedupeRetention;
        this.housekeepingInterval = housekeepingInterval;
        this.decider = decider;
        this.publishing = publishing;
        this.deadLetterChild = deadLetterChild;
        this.requestsChild = requestsChild;
        this.horizon = horizon;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        partition = AgentPartition.open(context, dedupeRetention);
        writer = publishing.writer(context, partition);
        ledger = new LedgerOutbox(context, requestsChild);
        EntryGuard guard = EntryGuard.of(context);
        // Checked on the wall clock, so that windows go with no traffic, but never past the latest record decided: a replay
        // of history (topics in CreateTime) decides in windows the wall clock has long left behind, and needs their balances.
        // Nor past what has been read: after an outage an intent that arrived in a window may still be unread (moved through
        // the placed topic, behind the records that moved this task's stream time on), and would find that window empty.
        PacedCheck.schedule(context, housekeepingInterval, WINDOWS_PER_PASS, (now, max) -> partition.sweepBudgets(
                Instant.ofEpochMilli(Math.min(horizon.at(now).toEpochMilli(), context.currentStreamTimeMs())), max, guard));
        PacedCheck.schedule(context, housekeepingInterval, WINDOWS_PER_PASS, (now, max) -> forgetUnlimitedBuckets(max));
        context.schedule(housekeepingInterval, PunctuationType.WALL_CLOCK_TIME, now -> partition.countKept());
    }

    /**
     * Only a new policy can stop limiting an agent's rate: one round over the rate buckets follows each policy put in force
     * (and the task's start), in bounded passes, and none between, where every pass would read the whole store again.
     */
    private boolean forgetUnlimitedBuckets(int max) {
        Policy inForce = policy.get();
        if (inForce == bucketsRoundDoneUnder) {
            return false;
        }
        if (inForce != bucketsRoundUnder) {
            partition.restartBucketRound();
            bucketsRoundUnder = inForce;
        }
        boolean more = partition.forgetBuckets(agentId -> inForce.agent(agentId).map(agent -> agent.rateLimit() != null).orElse(false), max);
        if (!more) {
            bucketsRoundDoneUnder = inForce;
        }
        return more;
    }

    @Override
    public void process(Record<String, ReceivedIntent> record) {
        ReceivedIntent received = record.value();
        Instant at = Instant.ofEpochMilli(record.timestamp());
        hear(new GateInput(record.key(), received.intent(), received.rawValue(), record.headers(), at, policy.get(), null,
                received.woken(), received.overLimits()), received.waitedAs());
    }

    /** Decides an intent; {@code history} is its case file while it waited for its dependencies, or null. */
    private void hear(GateInput heard, AuditRecord history) {
        GateInput input = heard;
        GateResult result;
        try {
            result = decider.decide(input, new PartitionState(input));
            if (result.waiting()) {
                Optional<String> tooLarge = tooLargeToWait(input, result.verdict());
                if (tooLarge.isPresent()) {
                    // Decided again before anything is kept or taken for it (waiting costs no token and no budget): the
                    // store could not keep it, and the changelog write it failed would stop the thread on it at every retry.
                    input = input.overLimit(tooLarge.get());
                    result = decider.decide(input, new PartitionState(input));
                }
            }
        } catch (RuntimeException e) {
            // A record that trips a fault in deciding must not stop every agent behind it: it goes
            // to the dead-letter topic with the error, and nothing was changed for it.
            RecordOrigin origin = origin(input.headers());
            log.error("could not decide intent {} (sent as {}); dead-lettered", Printable.escape(input.intent().getIntentId()),
                    origin.where(), e);
            byte[] key = input.key() == null ? null : input.key().getBytes(StandardCharsets.UTF_8);
            DeadLetter letter = DeadLetter.of(key, input.rawValue(), input.headers(), e, origin, null, maxRecordBytes);
            context.forward(new Record<Object, Object>(letter.key(), letter.value(), input.at().toEpochMilli(), letter.headers()),
                    deadLetterChild);
            return;
        }
        if (input.resumed()) {
            // Not before: an intent the fault above dead-letters stays waiting, so its dependency timeout still decides it.
            partition.wake(input.intent().getIntentId());
        }
        apply(input, result, history);
    }

    private void apply(GateInput input, GateResult result, AuditRecord history) {
        Policy inForce = input.policy();
        AgentIntent intent = input.intent();
        Instant at = input.at();
        if (result.duplicate()) {
            writer.answerDuplicate(input.key(), intent, input.intentSha256(), result.verdict(), inForce, at);
            return;
        }
        String agentId = DecisionFactory.agentId(input.key(), intent);
        if (result.decided()) {
            // Seen again once it waited: from its decision, not from its arrival, which its wait may have put past the retention.
            partition.see(intent.getIntentId(), at);
        }
        if (result.bucket() != null) {
            partition.putBucket(agentId, result.bucket());
        }
        if (result.ledger() != null) {
            result.ledger().commit();
        }
        if (result.waiting()) {
            startWaiting(input, result.verdict());
            return;
        }
        Verdict verdict = result.verdict();
        List<BudgetState> budgets = CaseFiles.budgetStates(agentId, result.budgets());
        if (verdict.outcome() != DecisionOutcome.REJECT) {
            AgentProfile agent = inForce.agent(agentId).orElseThrow();
            List<LedgerStep> steps = ClaimPlan.steps(intent, agent, inForce);
            if (!steps.isEmpty()) {
                sendClaims(input, verdict, budgets, steps, history);
                return;
            }
        }
        writer.publish(input.key(), caseId(intent, input.headers(), result.decided()), intent, input.intentSha256(), verdict, budgets,
                inForce, at, history, List.of());
    }

    /**
     * Parks the intent, decided up to its claims, and sends them to the ledger. Its token and
     * reservation are already taken, so the ledger's answer only has to finish the decision.
     */
    private void sendClaims(GateInput input, Verdict verdict, List<BudgetState> budgets, List<LedgerStep> steps, AuditRecord history) {
        AgentIntent intent = input.intent();
        Decision unpublished = DecisionWriter.decision(input.key(), intent, input.intentSha256(), verdict, input.policy(), input.at());
        AuditRecord decidedSoFar = CaseFiles.decided(intent.getIntentId(), intent, verdict, unpublished, budgets, input.at(), history);
        List<TimelineEntry> before = new ArrayList<>(decidedSoFar.getTimeline());
        before.remove(before.size() - 1);
        // With the key that verified it, which an answer coming after a rotation must not find replaced.
        partition.park(intent.getIntentId(), AuditRecord.newBuilder(decidedSoFar).setStage(CaseStage.RECEIVED).setTimeline(before)
                        .setIntentKeyFingerprint(StillAllowed.verifiedWith(input.policy(), unpublished.getAgentId())).build(),
                context.currentSystemTimeMs(), steps.stream().map(LedgerStep::getKey).toList());
        ledger.send(steps.get(0).getKey(), LedgerRequests.claim(intent, unpublished.getAgentId(), steps, input.at()), input.at());
    }

    private void startWaiting(GateInput input, Verdict checked) {
        AgentIntent intent = input.intent();
        WaitingIntent waiting = waitingIntent(input, checked);
        partition.await(intent.getIntentId(), waiting);
        writer.audit(waiting.getCaseFile(), input.at());
        for (String dependency : waiting.getPending()) {
            ledger.send(LedgerKey.task(dependency).toString(), LedgerRequests.await(intent.getIntentId(), intent.getAgentId(), input.at()),
                    input.at());
        }
    }

    /** What the {@code waiting-intents} store keeps of an intent while it waits: its case file, and the record to decide again. */
    private static WaitingIntent waitingIntent(GateInput input, Verdict checked) {
        AgentIntent intent = input.intent();
        Instant giveUpAt = WaitExpiry.giveUpAt(intent, input.at().plus(input.policy().defaults().dependencyTimeout()));
        AuditRecord caseFile = CaseFiles.waiting(intent, checked, input.policy().version(), input.at(), giveUpAt);
        return new WaitingIntent(caseFile, ByteBuffer.wrap(input.rawValue()), headers(RecordOrigin.producers(input.headers())), input.at(),
                intent.getDependsOn().stream().distinct().toList());
    }

    /**
     * Why the intent cannot wait, if it cannot: kept with its case file (which repeats its fields) and its headers, it
     * would not fit one changelog record. Every part is within its own limit, but together they may not be: an agent
     * writing with a newer schema sends fields this reader skips, so its raw value may be near the record limit itself.
     */
    private Optional<String> tooLargeToWait(GateInput input, Verdict checked) {
        String intentId = input.intent().getIntentId();
        WaitingIntent waiting = waitingIntent(input, checked);
        int bytes = intentId.getBytes(StandardCharsets.UTF_8).length
                + RecordSize.encodedBytes(waiting::toByteBuffer, "the waiting intent " + Printable.escape(intentId));
        if (RecordSize.fits(bytes, 0, maxRecordBytes)) {
            return Optional.empty();
        }
        return Optional.of("waiting for its dependencies, the intent would be kept in " + bytes + " bytes with its case file and"
                + " headers, more than the mediator's producer sends (max.request.size " + maxRecordBytes
                + ", less room for framing) to keep it: send it with less text");
    }

    /**
     * The key of the intent's case file: its id. An intent without one, or rejected before its id was
     * trusted (malformed, or under another agent's key: the id is not remembered, so a retry is not a
     * duplicate), is filed under where it was read instead, so that it never takes the place of the
     * case file of the intent that id names.
     */
    private String caseId(AgentIntent intent, Headers headers, boolean decided) {
        if (decided && !intent.getIntentId().isBlank()) {
            return intent.getIntentId();
        }
        String where = origin(headers).where();
        return intent.getIntentId().isBlank() ? AuditKeys.unidentified(where) : AuditKeys.untrusted(where, intent.getIntentId());
    }

    /** Where the record being decided was produced, as its producer's delivery report named it. */
    private RecordOrigin origin(Headers headers) {
        RecordMetadata read = context.recordMetadata().orElseThrow();
        return RecordOrigin.of(read.topic(), read.partition(), read.offset(), headers);
    }

    private static Map<String, ByteBuffer> headers(Headers headers) {
        Map<String, ByteBuffer> kept = new LinkedHashMap<>();
        for (Header header : headers) {
            // The last value of a key is the one checks read (Headers.lastHeader).
            kept.put(header.key(), ByteBuffer.wrap(header.value() == null ? new byte[0] : header.value()));
        }
        return kept;
    }

    /** How an intent is decided; {@link GateDecider#decide} in production. */
    @FunctionalInterface
    public interface Decide {
        GateResult decide(GateInput input, GateState state);
    }

    /** The gate's state as the partition holds it, for one record. */
    private final class PartitionState implements GateState {

        private final Instant at;
        private final String intentId;
        private final boolean resumed;

        PartitionState(GateInput input) {
            this.at = input.at();
            this.intentId = input.intent().getIntentId();
            this.resumed = input.resumed();
        }

        @Override
        public boolean alreadyDecided(String intentId) {
            return partition.alreadySeen(intentId, at) || partition.keeps(intentId);
        }

        @Override
        public TokenBucket bucket(String agentId) {
            return partition.bucket(agentId);
        }

        @Override
        public BudgetLedger ledger(String agentId) {
            return partition.budget(agentId);
        }

        @Override
        public long waiting(String agentId) {
            return partition.waitingOf(agentId);
        }

        @Override
        public long keptBytes(String agentId) {
            // An intent woken from waiting is still kept while it is decided, and lets go of that room whatever it becomes.
            return partition.keptBytesOf(agentId) - (resumed ? partition.waitingBytes(intentId) : 0);
        }
    }
}
