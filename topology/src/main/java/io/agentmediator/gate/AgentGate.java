package io.agentmediator.gate;

import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.decision.Verdict;
import io.agentmediator.audit.CaseFiles;
import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.StoreBudgetBook;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.guard.EntryGuard;
import io.agentmediator.ledger.ClaimPlan;
import io.agentmediator.ledger.LedgerKey;
import io.agentmediator.ledger.LedgerRequests;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.Policy;
import io.agentmediator.ratelimit.TokenBucket;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.schema.internal.LedgerRequest;
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
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent gate: decides every intent in the partition of its agent.
 *
 * <p>Reads {@link ReceivedIntent}s keyed by the record key, and the resource ledger's
 * {@link LedgerReply}s keyed by agent id. An intent that contends for nothing is decided in one
 * hop. One that claims resources or charges a shared pool is decided up to its claims, keeps its
 * token and reservation, waits in {@link GateStores#AWAITING_CLAIMS} and sends a CLAIM to
 * {@code requestsChild}; the ledger's answer completes the decision. One that depends on other
 * intents waits undecided in {@link GateStores#WAITING_INTENTS} (its case file, stage WAITING, on
 * the audit topic) and asks the ledger to tell it when each finishes: all COMPLETED, and it is
 * decided as if it had just arrived; one FAILED or COMPENSATED rejects it (DEPENDENCY_FAILED);
 * every {@code housekeepingInterval} of wall-clock time those waiting past the policy's
 * {@code dependencyTimeout} are rejected (DEPENDENCY_UNMET), and those whose claims the ledger
 * has not answered within {@code claimsTimeout} (CLAIMS_UNANSWERED, reservation released).
 *
 * <p>Decisions and case files are written by {@link DecisionWriter}. An intent that cannot be
 * decided because of a fault goes to {@code deadLetterChild} with nothing changed for it. Owns the
 * stores {@link GateStores#INTENT_IDS} (decided and waiting intent ids, kept for the dedupe
 * retention), {@link GateStores#RATE_BUCKETS} and {@link GateStores#BUDGETS} (swept every housekeeping interval) besides those
 * named above. The decision time is the record timestamp, so a replay decides the same way.
 */
public final class AgentGate implements Processor<String, Object, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(AgentGate.class);
    /** Budget windows forgotten per housekeeping run at most, so one run never holds up the stream thread for long. */
    static final int SWEEP_BATCH = 1_000;

    private final CurrentPolicy policy;
    private final UnaryOperator<Decision> signDecision;
    private final Duration dedupeRetention;
    private final Duration housekeepingInterval;
    private final Duration claimsTimeout;
    private final Decide decider;
    private final Map<DecisionOutcome, String> routes;
    private final String auditChild;
    private final String ownersChild;
    private final String deadLetterChild;
    private final String requestsChild;
    private ProcessorContext<Object, Object> context;
    private DecisionWriter writer;
    private WindowStore<String, Long> intentIds;
    private KeyValueStore<String, TokenBucket> buckets;
    private StoreBudgetBook budgets;
    private KeyValueStore<String, WaitingIntent> waiting;
    private KeyValueStore<String, AuditRecord> awaitingClaims;
    private KeyValueStore<String, Long> awaitingSince;

    public AgentGate(
            CurrentPolicy policy,
            UnaryOperator<Decision> signDecision,
            Duration dedupeRetention,
            Duration housekeepingInterval,
            Duration claimsTimeout,
            Decide decider,
            Map<DecisionOutcome, String> routes,
            String auditChild,
            String ownersChild,
            String deadLetterChild,
            String requestsChild) {
        this.policy = policy;
        this.signDecision = signDecision;
        this.dedupeRetention = dedupeRetention;
        this.housekeepingInterval = housekeepingInterval;
        this.claimsTimeout = claimsTimeout;
        this.decider = decider;
        this.routes = Map.copyOf(routes);
        this.auditChild = auditChild;
        this.ownersChild = ownersChild;
        this.deadLetterChild = deadLetterChild;
        this.requestsChild = requestsChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        writer = new DecisionWriter(context, signDecision, routes, auditChild, ownersChild);
        intentIds = context.getStateStore(GateStores.INTENT_IDS);
        buckets = context.getStateStore(GateStores.RATE_BUCKETS);
        budgets = GateStores.BUDGETS.open(context);
        waiting = context.getStateStore(GateStores.WAITING_INTENTS);
        awaitingClaims = context.getStateStore(GateStores.AWAITING_CLAIMS);
        awaitingSince = context.getStateStore(GateStores.AWAITING_CLAIMS_SINCE);
        // Wall-clock time: a dependency that never finishes must give up even when no agent sends anything.
        EntryGuard guard = EntryGuard.of(context);
        context.schedule(housekeepingInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
            giveUpWaiting(Instant.ofEpochMilli(now), guard);
            giveUpClaims(Instant.ofEpochMilli(now), guard);
            budgets.sweep(Instant.ofEpochMilli(now), SWEEP_BATCH, guard);
        });
    }

    @Override
    public void process(Record<String, Object> record) {
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (record.value() instanceof ReceivedIntent received) {
            hear(new GateInput(record.key(), received.intent(), received.rawValue(), record.headers(), at, policy.get(), null, false,
                    received.overLimits()), null);
        } else if (record.value() instanceof LedgerReply reply) {
            if (reply.getKind() == LedgerReplyKind.DEPENDENCY) {
                dependencyFinished(reply, at);
            } else {
                claimsAnswered(reply, at);
            }
        } else {
            throw new IllegalArgumentException("the agent gate reads intents and ledger replies, not " + record.value());
        }
    }

    /** Decides an intent; {@code history} is its case file while it waited for its dependencies, or null. */
    private void hear(GateInput input, AuditRecord history) {
        GateResult result;
        try {
            result = decider.decide(input, new StoreState(input.at()));
        } catch (RuntimeException e) {
            // A record that trips a fault in deciding must not stop every agent behind it: it goes
            // to the dead-letter topic with the error, and nothing was changed for it.
            RecordMetadata source = context.recordMetadata().orElseThrow();
            log.error("could not decide intent {} (read from {}-{}@{}); dead-lettered", input.intent().getIntentId(),
                    source.topic(), source.partition(), source.offset(), e);
            byte[] key = input.key() == null ? null : input.key().getBytes(StandardCharsets.UTF_8);
            context.forward(new Record<>((Object) key, (Object) input.rawValue(), input.at().toEpochMilli(),
                    DeadLetterHeaders.describe(input.headers(), e, source.topic(), source.partition(), source.offset())),
                    deadLetterChild);
            return;
        }
        apply(input, result, history);
    }

    private void apply(GateInput input, GateResult result, AuditRecord history) {
        Policy inForce = input.policy();
        AgentIntent intent = input.intent();
        Instant at = input.at();
        if (result.duplicate()) {
            writer.answerDuplicate(input.key(), intent, result.verdict(), inForce, at);
            return;
        }
        String agentId = DecisionFactory.agentId(input.key(), intent);
        if (result.decided() && !input.resumed()) {
            intentIds.put(intent.getIntentId(), at.toEpochMilli(), at.toEpochMilli());
        }
        if (result.bucket() != null) {
            buckets.put(agentId, result.bucket());
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
        writer.publish(input.key(), caseId(intent), intent, input.intentSha256(), verdict, budgets, inForce, at, history, List.of());
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
        awaitingClaims.put(intent.getIntentId(),
                AuditRecord.newBuilder(decidedSoFar).setStage(CaseStage.RECEIVED).setTimeline(before).build());
        awaitingSince.put(intent.getIntentId(), context.currentSystemTimeMs());
        LedgerRequest claim = LedgerRequests.claim(intent, unpublished.getAgentId(), steps, input.at());
        context.forward(new Record<>((Object) steps.get(0).getKey(), (Object) claim, input.at().toEpochMilli()), requestsChild);
    }

    private void claimsAnswered(LedgerReply reply, Instant at) {
        AuditRecord pending = awaitingClaims.get(reply.getIntentId());
        if (pending == null) {
            // It gave up waiting (CLAIMS_UNANSWERED) before this answer came: what the ledger granted since goes back.
            log.warn("the resource ledger answered {} for intent {}, which is no longer waiting for its claims; releasing {}",
                    reply.getKind(), Printable.escape(reply.getIntentId()), reply.getGranted());
            release(reply.getIntentId(), reply.getAgentId(), reply.getGranted(), at);
            return;
        }
        awaitingClaims.delete(reply.getIntentId());
        awaitingSince.delete(reply.getIntentId());
        Policy inForce = policy.get();
        Decision gate = pending.getDecision();
        Verdict verdict = new Verdict(gate.getOutcome(), gate.getTier(), gate.getReasons(), pending.getChecks());
        List<BudgetState> budgets = pending.getBudgets();
        List<String> held = reply.getGranted();
        switch (reply.getKind()) {
            case GRANTED -> verdict = ClaimVerdicts.granted(verdict, held);
            case CONFLICT -> verdict = ClaimVerdicts.conflict(verdict, reply, inForce);
            case POOL_EXCEEDED -> {
                verdict = ClaimVerdicts.poolExceeded(verdict, reply);
                budgets = releaseReservation(reply.getAgentId(), reply.getIntentId(), at, inForce);
                held = List.of();
            }
            case DEPENDENCY -> throw new IllegalStateException("a dependency reply is not a claim answer");
        }
        writer.publish(reply.getAgentId(), reply.getIntentId(), pending.getIntent(), verdict, budgets, inForce, at, pending, held);
    }

    private List<BudgetState> releaseReservation(String agentId, String intentId, Instant at, Policy inForce) {
        BudgetLedger ledger = new BudgetLedger(agentId, budgets);
        ledger.release(intentId);
        ledger.commit();
        List<BudgetLimit> limits = inForce.agent(agentId).map(AgentProfile::budgets).orElse(List.of());
        return CaseFiles.budgetStates(agentId, ledger.usage(at, limits, inForce.defaults().zone()));
    }

    private void startWaiting(GateInput input, Verdict checked) {
        AgentIntent intent = input.intent();
        Instant giveUpAt = input.at().plus(input.policy().defaults().dependencyTimeout());
        AuditRecord caseFile = CaseFiles.waiting(intent, checked, input.policy().version(), input.at(), giveUpAt);
        List<String> dependencies = intent.getDependsOn().stream().distinct().toList();
        waiting.put(intent.getIntentId(), new WaitingIntent(caseFile, ByteBuffer.wrap(input.rawValue()), headers(input.headers()),
                input.at(), dependencies));
        writer.audit(caseFile, input.at());
        for (String dependency : dependencies) {
            LedgerRequest await = LedgerRequests.await(intent.getIntentId(), intent.getAgentId(), input.at());
            context.forward(new Record<>((Object) LedgerKey.task(dependency).toString(), (Object) await, input.at().toEpochMilli()),
                    requestsChild);
        }
    }

    private void dependencyFinished(LedgerReply reply, Instant at) {
        WaitingIntent waits = waiting.get(reply.getIntentId());
        if (waits == null) {
            // It was decided already: another dependency failed, or it gave up waiting.
            log.debug("dependency {} of {} finished after the intent was decided", reply.getDependency(), reply.getIntentId());
            return;
        }
        AuditRecord caseFile = waits.getCaseFile();
        if (reply.getDependencyStatus() != OutcomeStatus.COMPLETED) {
            waiting.delete(reply.getIntentId());
            reject(caseFile, ReasonCode.DEPENDENCY_FAILED,
                    "dependency " + reply.getDependency() + " " + reply.getDependencyStatus() + "; this intent cannot go ahead", at);
            return;
        }
        List<String> pending = new ArrayList<>(waits.getPending());
        pending.remove(reply.getDependency());
        if (!pending.isEmpty()) {
            waiting.put(reply.getIntentId(), WaitingIntent.newBuilder(waits).setPending(pending).build());
            return;
        }
        waiting.delete(reply.getIntentId());
        byte[] raw = new byte[waits.getRawValue().remaining()];
        waits.getRawValue().duplicate().get(raw);
        hear(new GateInput(caseFile.getAgentId(), caseFile.getIntent(), raw, headers(waits.getHeaders()), at, policy.get(), null, true),
                caseFile);
    }

    /**
     * Rejects every intent whose claims the resource ledger has not answered within the claims timeout
     * (a ledger request lost to a fault, a dead-lettered one): its reservation is released and the
     * ledger told to let go of whatever it held for it, so a lost answer never holds a budget forever.
     */
    private void giveUpClaims(Instant now, EntryGuard guard) {
        List<KeyValue<String, Long>> overdue = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = awaitingSince.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                if (!now.isBefore(Instant.ofEpochMilli(entry.value).plus(claimsTimeout))) {
                    overdue.add(entry);
                }
            }
        }
        for (KeyValue<String, Long> entry : overdue) {
            guard.attempt("the claims of intent " + Printable.escape(entry.key),
                    () -> claimsUnanswered(entry.key, Instant.ofEpochMilli(entry.value), now));
        }
    }

    private void claimsUnanswered(String intentId, Instant since, Instant now) {
        awaitingSince.delete(intentId);
        AuditRecord pending = awaitingClaims.get(intentId);
        if (pending == null) {
            return;
        }
        Policy inForce = policy.get();
        awaitingClaims.delete(intentId);
        List<BudgetState> budgets = releaseReservation(pending.getAgentId(), pending.getIntentId(), now, inForce);
        List<String> keys = inForce.agent(pending.getAgentId())
                .map(agent -> ClaimPlan.steps(pending.getIntent(), agent, inForce).stream().map(LedgerStep::getKey).toList())
                .orElse(List.of());
        release(pending.getIntentId(), pending.getAgentId(), keys, now);
        String message = "the resource ledger did not answer this intent's claims within the claims timeout of " + claimsTimeout
                + " (waiting since " + since + "); its reservation is released";
        List<CheckResult> checks = new ArrayList<>(pending.getChecks());
        checks.add(new CheckResult(ClaimVerdicts.CLAIMS, CheckStatus.FAIL, ReasonCode.CLAIMS_UNANSWERED, null, message));
        Verdict verdict = new Verdict(DecisionOutcome.REJECT, null, List.of(new Reason(ReasonCode.CLAIMS_UNANSWERED, null, message)), checks);
        writer.publish(pending.getAgentId(), pending.getIntentId(), pending.getIntent(), verdict, budgets, inForce, now, pending, List.of());
    }

    /** Tells the ledger partitions of {@code keys} to let go of what they hold for the intent. */
    private void release(String intentId, String agentId, List<String> keys, Instant at) {
        for (String key : keys) {
            context.forward(new Record<>((Object) key, (Object) LedgerRequests.release(intentId, agentId, at), at.toEpochMilli()),
                    requestsChild);
        }
    }

    /** Rejects every intent that has waited for its dependencies past the policy's dependencyTimeout. */
    private void giveUpWaiting(Instant now, EntryGuard guard) {
        Duration timeout = policy.get().defaults().dependencyTimeout();
        List<KeyValue<String, WaitingIntent>> overdue = new ArrayList<>();
        try (KeyValueIterator<String, WaitingIntent> all = waiting.all()) {
            while (all.hasNext()) {
                KeyValue<String, WaitingIntent> entry = all.next();
                if (!now.isBefore(entry.value.getSince().plus(timeout))) {
                    overdue.add(entry);
                }
            }
        }
        for (KeyValue<String, WaitingIntent> entry : overdue) {
            guard.attempt("the waiting intent " + Printable.escape(entry.key), () -> {
                waiting.delete(entry.key);
                reject(entry.value.getCaseFile(), ReasonCode.DEPENDENCY_UNMET, "waited since " + entry.value.getSince() + " for "
                        + String.join(", ", entry.value.getPending()) + " to complete; the dependency timeout of " + timeout + " has passed", now);
            });
        }
    }

    private void reject(AuditRecord waited, ReasonCode code, String message, Instant at) {
        List<CheckResult> checks = new ArrayList<>(waited.getChecks());
        checks.add(new CheckResult(GateDecider.DEPENDENCIES, CheckStatus.FAIL, code, null, message));
        Verdict verdict = new Verdict(DecisionOutcome.REJECT, null, List.of(new Reason(code, null, message)), checks);
        writer.publish(waited.getAgentId(), waited.getIntentId(), waited.getIntent(), verdict, List.of(), policy.get(), at, waited, List.of());
    }

    /** The intent id; for an intent without one, where it was read, so its case file has a key of its own. */
    private String caseId(AgentIntent intent) {
        if (!intent.getIntentId().isBlank()) {
            return intent.getIntentId();
        }
        RecordMetadata source = context.recordMetadata().orElseThrow();
        return "unidentified:" + source.topic() + "-" + source.partition() + "@" + source.offset();
    }

    private static Map<String, ByteBuffer> headers(Headers headers) {
        Map<String, ByteBuffer> kept = new LinkedHashMap<>();
        for (Header header : headers) {
            // The last value of a key is the one checks read (Headers.lastHeader).
            kept.put(header.key(), ByteBuffer.wrap(header.value() == null ? new byte[0] : header.value()));
        }
        return kept;
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

    /** How an intent is decided; {@link GateDecider#decide} in production. */
    @FunctionalInterface
    public interface Decide {
        GateResult decide(GateInput input, GateState state);
    }

    /** The gate's state as its stores hold it, for one record. */
    private final class StoreState implements GateState {

        private final Instant at;

        StoreState(Instant at) {
            this.at = at;
        }

        @Override
        public boolean alreadyDecided(String intentId) {
            long now = at.toEpochMilli();
            // Out-of-order records within the retention still count, so look both ways in time.
            try (WindowStoreIterator<Long> seen =
                    intentIds.fetch(intentId, now - dedupeRetention.toMillis(), now + dedupeRetention.toMillis())) {
                return seen.hasNext();
            }
        }

        @Override
        public TokenBucket bucket(String agentId) {
            return buckets.get(agentId);
        }

        @Override
        public BudgetLedger ledger(String agentId) {
            return new BudgetLedger(agentId, budgets);
        }
    }
}
