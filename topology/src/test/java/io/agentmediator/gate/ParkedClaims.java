package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.limits.RecordSize;
import io.agentmediator.audit.CaseFiles;
import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.StoredBalances;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.contract.Contracts;
import io.agentmediator.decision.Verdict;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.schema.internal.LedgerRequestKind;
import io.agentmediator.testing.MockPartitionStores;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The agent gate and the claim answers on one agent partition's real stores, with the resource
 * ledger left out: a test parks an intent for its claims, changes the world, and then answers for
 * the ledger when it chooses, which the whole topology in a TopologyTestDriver (where the ledger
 * answers within the same input) cannot do.
 */
final class ParkedClaims {

    /** When the intents are sent (their record time); their claims are for the hour after the next. */
    static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "%1$s"
            tiers: [MANAGER]
            agents:
              - id: booker
                department: ops
                suspended: %2$s
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 10000000 } ]
              - id: pooled
                department: ops
                suspended: %2$s
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 10000000 } ]
                pool: shared
              - id: other
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 10000000 } ]
            pools:
              - { id: shared, budgets: [ { window: MONTH, limitMicros: 100000000 } ] }
            resources:
              - { pattern: "room-*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER }
            """;
    private static final Map<DecisionOutcome, String> ROUTES = Map.of(DecisionOutcome.EXECUTE, "execute-sink",
            DecisionOutcome.ESCALATE, "escalate-sink", DecisionOutcome.REJECT, "reject-sink");

    final MockProcessorContext<Object, Object> context;
    private final Topics topics;
    private final CurrentPolicy policy;
    private final AgentGate gate;
    private final ClaimAnswers claims;
    /** How far the claim answers count the mediator has read: the wall clock until {@link #readUpTo} says otherwise. */
    private final ReadHorizon horizon = new ReadHorizon();

    /** {@code arrival}: the wall clock when intents arrive, from which the claims timeout counts. */
    ParkedClaims(File stateDir, CurrentPolicy policy, Suspensions suspensions, Duration claimsTimeout, Instant arrival) {
        this(stateDir, policy, suspensions, claimsTimeout, arrival, true);
    }

    /** As above; {@code intentsStampedByBroker} false as for intents topics kept at CreateTime (replays). */
    ParkedClaims(File stateDir, CurrentPolicy policy, Suspensions suspensions, Duration claimsTimeout, Instant arrival,
            boolean intentsStampedByBroker) {
        Contracts.trustGeneratedClasses();
        this.policy = policy;
        context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0), stateDir);
        context.setRecordMetadata("agent.intents", 0, 0L);
        context.setCurrentSystemTimeMs(arrival.toEpochMilli());
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("parked-claims");
        topics = new Topics("agent.", registry);
        MockPartitionStores.addTo(context, registry);
        DecisionRoutes publishing = new DecisionRoutes(UnaryOperator.identity(), ROUTES, "audit-sink", "case-owners-sink");
        gate = new AgentGate(policy, Duration.ofDays(7), Duration.ofSeconds(10),
                new GateDecider(suspensions, Duration.ofDays(7))::decide, publishing, "intents-dlq-sink", "ledger-requests-sink",
                new ReadHorizon(), RecordSize.DEFAULT_MAX_REQUEST_BYTES);
        gate.init(context);
        claims = new ClaimAnswers(policy, suspensions, Duration.ofDays(7), Duration.ofSeconds(10), claimsTimeout, intentsStampedByBroker, publishing,
                "ledger-requests-sink", horizon);
        claims.init(context);
    }

    /**
     * Three agents with a day's budget of 10 each: booker, pooled (which also charges the shared pool),
     * both suspended when {@code suspended}, and other; rooms of capacity 1.
     */
    static Policy policy(String version, boolean suspended) {
        return PolicyParser.parse("parked-claims.yaml", POLICY.formatted(version, suspended)).policy();
    }

    /** The {@link #policy} with {@code agentId} no longer listed. */
    static Policy policyWithout(String version, String agentId) {
        PolicyDocument document = PolicyCodec.toAvro(policy(version, false));
        document.setAgents(document.getAgents().stream().filter(agent -> !agent.getId().equals(agentId)).toList());
        return PolicyCodec.fromAvro(document).policy();
    }

    /** The {@link #policy} with pooled's pool changed from shared to spare. */
    static Policy policyMovingPooled(String version) {
        String moved = POLICY.replace("pool: shared", "pool: spare")
                .replace("pools:\n", "pools:\n  - { id: spare, budgets: [ { window: MONTH, limitMicros: 100000000 } ] }\n");
        return PolicyParser.parse("parked-claims-moved.yaml", moved.formatted(version, false)).policy();
    }

    /** An intent of {@code agentId} booking room-1 for the hour after the next. */
    static AgentIntent roomFor(String intentId, String agentId, long costMicros) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("room.book").setTarget("calendar")
                .setCostMicros(costMicros).setCommitmentMicros(0).setConfidence(0.99)
                .setClaims(List.of(ResourceClaim.newBuilder().setResourceId("room-1").setQuantity(1)
                        .setFrom(T0.plusSeconds(3600)).setUntil(T0.plusSeconds(7200)).build()))
                .build();
    }

    /** The resource ledger's answer to an intent's claims; a conflict says room-1 is taken. */
    static LedgerReply reply(LedgerReplyKind kind, String intentId, String agentId, List<String> granted) {
        return LedgerReply.newBuilder().setKind(kind).setIntentId(intentId).setAgentId(agentId).setGranted(granted)
                .setMessage(kind == LedgerReplyKind.CONFLICT ? "room-1 is taken" : null).build();
    }

    void send(AgentIntent intent, Instant at) {
        gate.process(new Record<>(intent.getAgentId(), new ReceivedIntent(intent, new byte[0], List.of()), at.toEpochMilli()));
    }

    /** The intent, whose dependencies all completed, as dependency-waits hands it back to the gate once they did. */
    void sendWoken(AgentIntent intent, Instant waitedSince, Instant at) {
        AuditRecord waited = CaseFiles.waiting(intent, new Verdict(DecisionOutcome.EXECUTE, null, List.of(), List.of()), policy.get().version(),
                waitedSince, waitedSince.plus(Duration.ofHours(24)));
        gate.process(new Record<>(intent.getAgentId(), new ReceivedIntent(intent, new byte[0], List.of(), waited), at.toEpochMilli()));
    }

    /** The intent as its agent sends it, signed with the agent's {@link TestKeys} key. */
    void sendSigned(AgentIntent intent, Instant at) {
        byte[] raw = topics.intentSerde().serializer().serialize(topics.intents().name(), intent);
        gate.process(new Record<>(intent.getAgentId(), new ReceivedIntent(intent, raw, List.of()), at.toEpochMilli(),
                TestKeys.signedBy(intent.getAgentId(), raw)));
    }

    /** The mediator has read what arrived up to {@code until} (wall clock), and no further: as after an outage. */
    void readUpTo(Instant until) {
        horizon.track();
        for (int round = 0; round < 100 && !horizon.at(Instant.MAX).equals(until); round++) {
            horizon.progress(until, Map.of(), Map.of());
        }
        assertThat(horizon.at(Instant.MAX)).isEqualTo(until);
    }

    /** Answers for the resource ledger. */
    void answer(LedgerReply reply, Instant at) {
        claims.process(new Record<>(reply.getAgentId(), reply, at.toEpochMilli()));
    }

    /** Runs the claims' housekeeping, the punctuation scheduled last (after the gate's own). */
    /** Kafka Streams reviving the task: {@code init} again on the same processors, whose stores kept what was committed. */
    void revive() {
        claims.init(context);
    }

    void punctuate(Instant at) {
        List<MockProcessorContext.CapturedPunctuator> scheduled = context.scheduledPunctuators();
        scheduled.get(scheduled.size() - 1).getPunctuator().punctuate(at.toEpochMilli());
    }

    List<CapturedForward<? extends Object, ? extends Object>> forwardedTo(String child) {
        return context.forwarded().stream().filter(f -> f.childName().orElse("").equals(child)).toList();
    }

    /** The first decision forwarded to {@code sink}. */
    Decision decisionTo(String sink) {
        return (Decision) forwardedTo(sink).get(0).record().value();
    }

    /** The first case file forwarded to the audit sink. */
    AuditRecord caseFile() {
        return ((CaseFileValue) forwardedTo("audit-sink").get(0).record().value()).caseFile();
    }

    /** The ledger entries the requests sent to the resource ledger release, in the order sent. */
    List<String> released() {
        return forwardedTo("ledger-requests-sink").stream()
                .filter(request -> ((LedgerRequest) request.record().value()).getKind() == LedgerRequestKind.RELEASE)
                .map(request -> (String) request.record().key()).toList();
    }

    /** The claim each release sent to the resource ledger names (absent: every hold of the intent there), in order. */
    List<Optional<Instant>> releasedClaims() {
        return forwardedTo("ledger-requests-sink").stream().map(request -> (LedgerRequest) request.record().value())
                .filter(request -> request.getKind() == LedgerRequestKind.RELEASE).map(request -> Optional.ofNullable(request.getClaimAt()))
                .toList();
    }

    /** Asserts that the one request sent to the resource ledger releases {@code key}. */
    void assertReleasedOnly(String key) {
        assertThat(forwardedTo("ledger-requests-sink")).singleElement().satisfies(release -> {
            assertThat(release.record().key()).isEqualTo(key);
            assertThat(((LedgerRequest) release.record().value()).getKind()).isEqualTo(LedgerRequestKind.RELEASE);
        });
    }

    /** What the agent's first budget window has reserved on {@code day}. */
    long reserved(String agentId, Instant day) {
        return reserved(agentId, day, policy.get());
    }

    /** What the agent's first budget window, as {@code listing} sets it, has reserved on {@code day}. */
    long reserved(String agentId, Instant day, Policy listing) {
        KeyValueStore<String, WindowBalance> balances = context.getStateStore(GateStores.BUDGETS.balances());
        return BudgetLedger.usage(new StoredBalances(balances::get), agentId, day,
                listing.agent(agentId).orElseThrow().budgets(), listing.defaults().zone()).get(0).reservedMicros();
    }
}
