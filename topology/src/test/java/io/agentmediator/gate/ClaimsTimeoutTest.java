package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.StoredBalances;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.contract.Contracts;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.partition.CaseFileCodec;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.schema.internal.LedgerRequestKind;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.topics.Topics;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing waits forever: an intent whose claims the resource ledger never answers (its request
 * lost or dead-lettered) is rejected CLAIMS_UNANSWERED after the claims timeout, its reservation
 * released and the ledger told to let go; an answer that comes later gives back what it granted.
 */
class ClaimsTimeoutTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Instant ARRIVAL = T0.plus(Duration.ofHours(1));
    private static final Policy POLICY = PolicyParser.parse("claims-timeout.yaml", """
            version: "claims-timeout-1"
            tiers: [MANAGER]
            agents:
              - id: booker
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 10000000 } ]
            resources:
              - { pattern: "room-*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER }
            """).policy();

    @TempDir File stateDir;
    private MockProcessorContext<Object, Object> context;
    private AgentGate gate;
    private ClaimAnswers claims;

    @BeforeEach
    void setUp() {
        Contracts.trustGeneratedClasses();
        context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0), stateDir);
        context.setRecordMetadata("agent.intents", 0, 0L);
        // The intents arrive an hour after their record time (a replay): the timeout counts wall-clock time from arrival.
        context.setCurrentSystemTimeMs(ARRIVAL.toEpochMilli());
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("claims-timeout");
        GateStores.builders(Duration.ofDays(7), new Topics("agent.", registry)).forEach(builder -> {
            // MockProcessorContext supports neither changelogs nor the record cache some of these stores sit behind.
            var store = builder.withLoggingDisabled().withCachingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        });
        CaseStores.agentSide(new CaseFileCodec("agent.audit", new AvroSerde<>(AuditRecord.class, registry))).forEach(builder -> {
            var store = builder.withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        });
        Map<DecisionOutcome, String> routes = Map.of(DecisionOutcome.EXECUTE, "execute-sink", DecisionOutcome.ESCALATE, "escalate-sink",
                DecisionOutcome.REJECT, "reject-sink");
        DecisionRoutes publishing = new DecisionRoutes(UnaryOperator.identity(), routes, "audit-sink", "case-owners-sink");
        gate = new AgentGate(new CurrentPolicy(POLICY), Duration.ofDays(7), Duration.ofSeconds(10), new GateDecider()::decide, publishing,
                "intents-dlq-sink", "ledger-requests-sink");
        gate.init(context);
        claims = new ClaimAnswers(new CurrentPolicy(POLICY), Duration.ofDays(7), Duration.ofSeconds(10), TIMEOUT, publishing,
                "ledger-requests-sink");
        claims.init(context);
    }

    @Test
    void anUnansweredClaimIsRejectedAfterTheTimeoutWithItsReservationReleased() {
        gate.process(new Record<>("booker", new ReceivedIntent(roomFor("i-1", 3_000_000), new byte[0], List.of()), T0.toEpochMilli()));
        assertThat(forwardedTo("ledger-requests-sink")).singleElement()
                .satisfies(claim -> assertThat(((LedgerRequest) claim.record().value()).getKind()).isEqualTo(LedgerRequestKind.CLAIM));
        assertThat(reservedToday()).isEqualTo(3_000_000);
        context.resetForwards();

        punctuate(ARRIVAL.plus(TIMEOUT).minusSeconds(1));
        assertThat(context.forwarded()).isEmpty();

        punctuate(ARRIVAL.plus(TIMEOUT));
        Decision rejected = (Decision) forwardedTo("reject-sink").get(0).record().value();
        assertThat(rejected.getIntentId()).isEqualTo("i-1");
        assertThat(rejected.getReasons()).extracting(r -> r.getCode()).containsExactly(ReasonCode.CLAIMS_UNANSWERED);
        assertThat(rejected.getReasons().get(0).getMessage()).contains("claims timeout of PT5M");
        assertThat(reservedToday()).isZero();
        assertThat(forwardedTo("ledger-requests-sink")).singleElement().satisfies(release -> {
            assertThat(release.record().key()).isEqualTo("resource:room-1");
            assertThat(((LedgerRequest) release.record().value()).getKind()).isEqualTo(LedgerRequestKind.RELEASE);
        });
        context.resetForwards();

        punctuate(ARRIVAL.plus(TIMEOUT).plusSeconds(10));
        assertThat(forwardedTo("reject-sink")).as("decided once").isEmpty();
    }

    @Test
    void anAnswerAfterTheTimeoutGivesBackWhatTheLedgerGranted() {
        gate.process(new Record<>("booker", new ReceivedIntent(roomFor("i-1", 1_000_000), new byte[0], List.of()), T0.toEpochMilli()));
        punctuate(ARRIVAL.plus(TIMEOUT));
        context.resetForwards();

        LedgerReply late = LedgerReply.newBuilder().setKind(LedgerReplyKind.GRANTED).setIntentId("i-1").setAgentId("booker")
                .setGranted(List.of("resource:room-1")).build();
        claims.process(new Record<>("booker", late, T0.plus(TIMEOUT).plusSeconds(1).toEpochMilli()));

        assertThat(forwardedTo("execute-sink")).isEmpty();
        assertThat(forwardedTo("ledger-requests-sink")).singleElement().satisfies(release -> {
            assertThat(release.record().key()).isEqualTo("resource:room-1");
            assertThat(((LedgerRequest) release.record().value()).getKind()).isEqualTo(LedgerRequestKind.RELEASE);
        });
    }

    @Test
    void anAnswerInTimeDecidesAsBefore() {
        gate.process(new Record<>("booker", new ReceivedIntent(roomFor("i-1", 1_000_000), new byte[0], List.of()), T0.toEpochMilli()));
        LedgerReply granted = LedgerReply.newBuilder().setKind(LedgerReplyKind.GRANTED).setIntentId("i-1").setAgentId("booker")
                .setGranted(List.of("resource:room-1")).build();
        claims.process(new Record<>("booker", granted, T0.plusSeconds(1).toEpochMilli()));
        context.resetForwards();

        punctuate(ARRIVAL.plus(TIMEOUT).plusSeconds(1));

        assertThat(context.forwarded()).isEmpty();
        assertThat(reservedToday()).isEqualTo(1_000_000);
    }

    /** Runs the claims' housekeeping, the punctuation scheduled last (after the gate's own). */
    private void punctuate(Instant at) {
        List<MockProcessorContext.CapturedPunctuator> scheduled = context.scheduledPunctuators();
        scheduled.get(scheduled.size() - 1).getPunctuator().punctuate(at.toEpochMilli());
    }

    private List<CapturedForward<? extends Object, ? extends Object>> forwardedTo(String child) {
        return context.forwarded().stream().filter(f -> f.childName().orElse("").equals(child)).toList();
    }

    private long reservedToday() {
        return BudgetLedger.usage(new StoredBalances(context.<org.apache.kafka.streams.state.KeyValueStore<String, WindowBalance>>
                        getStateStore(GateStores.BUDGETS.balances())::get), "booker", T0,
                POLICY.agent("booker").orElseThrow().budgets(), POLICY.defaults().zone()).get(0).reservedMicros();
    }

    private static AgentIntent roomFor(String intentId, long costMicros) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("booker").setAction("room.book").setTarget("calendar")
                .setCostMicros(costMicros).setCommitmentMicros(0).setConfidence(0.99)
                .setClaims(List.of(ResourceClaim.newBuilder().setResourceId("room-1").setQuantity(1)
                        .setFrom(T0.plusSeconds(3600)).setUntil(T0.plusSeconds(7200)).build()))
                .build();
    }
}
