package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.contract.Contracts;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.partition.CaseFileCodec;
import io.agentmediator.partition.CaseFileValue;
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
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.signing.Ed25519Keys;
import io.agentmediator.testing.TestKeys;
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
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's key rotated while an intent it signed with the old key had its claims with the resource ledger: whatever the
 * ledger answers after, the intent is rejected as the gate would reject it now, and what was granted goes back. Without a
 * rotation, an intent that escalates from there names the key that verified it, for its approval to check. The gate and
 * the claim answers on their own stores: through the whole topology the ledger answers within the same input, and a
 * rotation could not come between.
 */
class RotatedWhileClaimingTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "%s"
            tiers: [MANAGER]
            agents:
              - id: booker
                publicKey: "%s"
                capabilities: { actions: ["*"], targets: ["*"] }
            resources:
              - { pattern: "room-*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER }
            """;
    private static final Policy KEYS_1 = PolicyParser.parse("k1.yaml", POLICY.formatted("keys-1", TestKeys.publicKey("booker"))).policy();
    private static final Policy KEYS_2 = PolicyParser.parse("k2.yaml", POLICY.formatted("keys-2", TestKeys.publicKey("booker-rotated"))).policy();

    @TempDir File stateDir;
    private final CurrentPolicy policy = new CurrentPolicy(KEYS_1);
    private MockProcessorContext<Object, Object> context;
    private ClaimAnswers claims;

    @BeforeEach
    void parkASignedBooking() {
        Contracts.trustGeneratedClasses();
        context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0), stateDir);
        context.setRecordMetadata("agent.intents", 0, 0L);
        context.setCurrentSystemTimeMs(T0.toEpochMilli());
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("rotated-while-claiming");
        Topics topics = new Topics("agent.", registry);
        GateStores.builders(Duration.ofDays(7), topics).forEach(builder -> {
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
        DecisionRoutes publishing = new DecisionRoutes(UnaryOperator.identity(), Map.of(DecisionOutcome.EXECUTE, "execute-sink",
                DecisionOutcome.ESCALATE, "escalate-sink", DecisionOutcome.REJECT, "reject-sink"), "audit-sink", "case-owners-sink");
        AgentGate gate = new AgentGate(policy, Duration.ofDays(7), Duration.ofSeconds(10),
                new GateDecider(new Suspensions(), Duration.ofDays(7))::decide, publishing, "intents-dlq-sink", "ledger-requests-sink",
                new ReadHorizon(), RecordSize.DEFAULT_MAX_REQUEST_BYTES);
        gate.init(context);
        claims = new ClaimAnswers(policy, new Suspensions(), Duration.ofDays(7), Duration.ofSeconds(10), Duration.ofMinutes(5),
                publishing, "ledger-requests-sink", new ReadHorizon());
        claims.init(context);

        // Given booker's booking, signed with its key under keys-1 (say by whoever stole it), parked for its claims
        AgentIntent booking = AgentIntent.newBuilder().setIntentId("i-1").setAgentId("booker").setAction("room.book").setTarget("calendar")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.99)
                .setClaims(List.of(ResourceClaim.newBuilder().setResourceId("room-1").setQuantity(1)
                        .setFrom(T0.plusSeconds(3600)).setUntil(T0.plusSeconds(7200)).build()))
                .build();
        byte[] raw = topics.intentSerde().serializer().serialize("agent.intents", booking);
        gate.process(new Record<>("booker", new ReceivedIntent(booking, raw, List.of()), T0.toEpochMilli(), TestKeys.signedBy("booker", raw)));
        assertThat(forwardedTo("ledger-requests-sink")).as("parked for its claims").isNotEmpty();
        context.resetForwards();
    }

    @Test
    void shouldRejectAGrantedIntentSignedWithTheKeyRotatedOutAndGiveBackWhatWasGranted() {
        // When keys-2 gives booker a new key, and then the ledger grants the room
        policy.replace(KEYS_2);
        answer(LedgerReplyKind.GRANTED, List.of("resource:room-1"));

        // Then it is not executed but rejected, as the gate now rejects the old key's intents, and the room goes back
        assertThat(forwardedTo("execute-sink")).isEmpty();
        Decision rejected = (Decision) forwardedTo("reject-sink").get(0).record().value();
        assertThat(rejected.getPolicyVersion()).isEqualTo("keys-2");
        assertThat(rejected.getReasons()).extracting(reason -> reason.getCode()).containsExactly(ReasonCode.SIGNATURE_INVALID);
        assertThat(forwardedTo("ledger-requests-sink")).as("what was granted, given back").isNotEmpty();
    }

    @Test
    void shouldRejectAConflictOfAnIntentSignedWithTheKeyRotatedOutNotEscalateIt() {
        // When keys-2 gives booker a new key, and then the ledger answers that the room is taken
        policy.replace(KEYS_2);
        answer(LedgerReplyKind.CONFLICT, List.of());

        // Then no approver is asked about it
        assertThat(forwardedTo("escalate-sink")).isEmpty();
        assertThat(((Decision) forwardedTo("reject-sink").get(0).record().value()).getReasons()).extracting(reason -> reason.getCode())
                .containsExactly(ReasonCode.SIGNATURE_INVALID);
    }

    @Test
    void shouldEscalateAConflictNamingTheKeyThatVerifiedTheIntent() {
        // When the ledger answers that the room is taken, the key unchanged
        answer(LedgerReplyKind.CONFLICT, List.of());

        // Then the escalation's case file names the key that verified the intent, which a later rotation would make refuse
        // an approval
        AuditRecord escalated = forwardedTo("audit-sink").stream().map(f -> ((CaseFileValue) f.record().value()).caseFile())
                .reduce((first, last) -> last).orElseThrow();
        assertThat(escalated.getDecision().getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(escalated.getIntentKeyFingerprint())
                .isEqualTo(Ed25519Keys.fingerprint(Ed25519Keys.publicKeyFromBase64(TestKeys.publicKey("booker"))));
        assertThat(StillAllowed.rejection(KEYS_2, "booker", escalated.getIntent(), T0, escalated.getIntentKeyFingerprint()))
                .hasValueSatisfying(refusal -> assertThat(refusal.code()).isEqualTo(ReasonCode.SIGNATURE_INVALID));
    }

    private void answer(LedgerReplyKind kind, List<String> granted) {
        claims.process(new Record<>("booker", LedgerReply.newBuilder().setKind(kind).setIntentId("i-1").setAgentId("booker")
                .setGranted(granted).setMessage(kind == LedgerReplyKind.CONFLICT ? "room-1 is taken" : null).build(),
                T0.plusSeconds(1).toEpochMilli()));
    }

    private List<MockProcessorContext.CapturedForward<? extends Object, ? extends Object>> forwardedTo(String child) {
        return context.forwarded().stream().filter(f -> f.childName().orElse("").equals(child)).toList();
    }
}
