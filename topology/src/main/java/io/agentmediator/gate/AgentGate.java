package io.agentmediator.gate;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.cases.CaseStores;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.policy.Policy;
import io.agentmediator.ratelimit.TokenBucket;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent gate: decides every intent in the partition of its agent, in one hop.
 *
 * <p>Reads: {@link ReceivedIntent}s keyed by the record key. Writes: the signed Decision, keyed
 * by agent id, to the child for its outcome ({@code routes}); the case file, keyed by intent id,
 * to {@code auditChild} (not for a DUPLICATE, which must leave the original's case file as it
 * was); an intent that cannot be decided because of a fault, to {@code deadLetterChild}. Owns the stores {@link GateStores#INTENT_IDS} (decided intent ids, kept for the dedupe
 * retention), {@link GateStores#RATE_BUCKETS}, {@link GateStores#BUDGET_LEDGERS} and
 * {@link GateStores#OPEN_ESCALATIONS} (the case file of every escalation still waiting for a
 * person, with its reservation held in the ledger) and {@link CaseStores#EXECUTED_CASES}; tells
 * {@code ownersChild} which agent an escalated or executed intent belongs to. The decision time is the record timestamp,
 * so a replay decides the same way.
 */
public final class AgentGate implements Processor<String, ReceivedIntent, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(AgentGate.class);

    private final CurrentPolicy policy;
    private final UnaryOperator<Decision> signDecision;
    private final Duration dedupeRetention;
    private final Decide decider;
    private final Map<DecisionOutcome, String> routes;
    private final String auditChild;
    private final String deadLetterChild;
    private final String ownersChild;
    private KeyValueStore<String, AuditRecord> executedCases;
    private ProcessorContext<Object, Object> context;
    private WindowStore<String, Long> intentIds;
    private KeyValueStore<String, TokenBucket> buckets;
    private KeyValueStore<String, BudgetLedger> ledgers;
    private KeyValueStore<String, AuditRecord> openEscalations;

    public AgentGate(
            CurrentPolicy policy,
            UnaryOperator<Decision> signDecision,
            Duration dedupeRetention,
            Decide decider,
            Map<DecisionOutcome, String> routes,
            String auditChild,
            String ownersChild,
            String deadLetterChild) {
        this.ownersChild = ownersChild;
        this.decider = decider;
        this.deadLetterChild = deadLetterChild;
        this.policy = policy;
        this.signDecision = signDecision;
        this.dedupeRetention = dedupeRetention;
        this.routes = new EnumMap<>(routes);
        this.auditChild = auditChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        intentIds = context.getStateStore(GateStores.INTENT_IDS);
        buckets = context.getStateStore(GateStores.RATE_BUCKETS);
        ledgers = context.getStateStore(GateStores.BUDGET_LEDGERS);
        openEscalations = context.getStateStore(GateStores.OPEN_ESCALATIONS);
        executedCases = context.getStateStore(CaseStores.EXECUTED_CASES);
    }

    @Override
    public void process(Record<String, ReceivedIntent> record) {
        Policy inForce = policy.get();
        AgentIntent intent = record.value().intent();
        Instant at = Instant.ofEpochMilli(record.timestamp());
        GateInput input = new GateInput(record.key(), intent, record.value().rawValue(), record.headers(), at, inForce, null);
        GateResult result;
        try {
            result = decider.decide(input, new StoreState(at));
        } catch (RuntimeException e) {
            // A record that trips a fault in deciding must not stop every agent behind it: it goes
            // to the dead-letter topic with the error, and nothing was changed for it.
            RecordMetadata source = context.recordMetadata().orElseThrow();
            log.error("could not decide intent {} from {}-{}@{}; dead-lettered", intent.getIntentId(),
                    source.topic(), source.partition(), source.offset(), e);
            context.forward(record
                    .withKey(record.key() == null ? null : (Object) record.key().getBytes(StandardCharsets.UTF_8))
                    .withValue((Object) record.value().rawValue())
                    .withHeaders(DeadLetterHeaders.describe(record.headers(), e, source.topic(), source.partition(), source.offset())),
                    deadLetterChild);
            return;
        }

        Instant deadline = result.verdict().outcome() == DecisionOutcome.ESCALATE
                ? at.plus(inForce.defaults().escalationTimeout())
                : null;
        Decision decision = signDecision.apply(DecisionFactory.decide(record.key(), intent, result.verdict(), inForce.version(), at, deadline));
        String agentKey = decision.getAgentId();
        context.forward(record.withKey((Object) agentKey).withValue((Object) decision), routes.get(decision.getOutcome()));
        if (result.duplicate()) {
            return;
        }
        if (result.decided()) {
            intentIds.put(intent.getIntentId(), at.toEpochMilli(), at.toEpochMilli());
        }
        if (result.bucket() != null) {
            buckets.put(agentKey, result.bucket());
        }
        if (result.ledger() != null) {
            result.ledger().prune(at);
            ledgers.put(agentKey, result.ledger());
        }
        AuditRecord caseFile = CaseFiles.decided(caseId(intent), intent, result.verdict(), decision, result.budgets(), at);
        if (decision.getOutcome() == DecisionOutcome.ESCALATE) {
            openEscalations.put(caseFile.getIntentId(), caseFile);
        } else if (decision.getOutcome() == DecisionOutcome.EXECUTE) {
            executedCases.put(caseFile.getIntentId(), caseFile);
        }
        context.forward(record.withKey((Object) caseFile.getIntentId()).withValue((Object) caseFile), auditChild);
        if (decision.getOutcome() != DecisionOutcome.REJECT) {
            // Approvals and outcomes arrive keyed by intent id; this tells them which partition holds the case.
            context.forward(record.withKey((Object) caseFile.getIntentId()).withValue((Object) agentKey), ownersChild);
        }
    }

    /** The intent id; for an intent without one, where it was read, so its case file has a key of its own. */
    private String caseId(AgentIntent intent) {
        if (!intent.getIntentId().isBlank()) {
            return intent.getIntentId();
        }
        RecordMetadata source = context.recordMetadata().orElseThrow();
        return "unidentified:" + source.topic() + "-" + source.partition() + "@" + source.offset();
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
            BudgetLedger ledger = ledgers.get(agentId);
            return ledger == null ? new BudgetLedger() : ledger;
        }
    }
}
