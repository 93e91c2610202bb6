package io.agentmediator.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.budget.WindowUsage;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.ledger.ClaimPlan;
import io.agentmediator.ledger.LedgerKey;
import io.agentmediator.ledger.LedgerRequests;
import io.agentmediator.ledger.LedgerStores;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import io.agentmediator.topics.TopicSpec;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The records of issue #11's table, each sent through the whole topology: each is rejected
 * MALFORMED or dead-lettered, changes nothing, and the next intent of another agent is decided.
 */
class BadRecordsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "bad-records-1"
            defaults: { escalationTimeout: PT4H, dependencyTimeout: PT1H, conflictTier: MANAGER, minConfidence: 0.6 }
            tiers: [MANAGER]
            agents:
              - id: pooled
                department: research
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: MONTH, limitMicros: 100000000 } ]
                pool: research-team
              - id: solo
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: MONTH, limitMicros: 100000000 } ]
              - id: bystander
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
            pools:
              - { id: research-team, budgets: [ { window: MONTH, limitMicros: 500000000 } ] }
            resources:
              - { pattern: "room-*", capacity: 1 }
            # signed with their test keys (PipelineDriver signs as they do), so only the bad records are refused
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"), TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);
    private int sent;

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void aNegativeActualCostIsDeadLetteredAndSettlesNothing() {
        mediator.send(spend("i-1", "solo", 2_000_000), T0);
        mediator.report(new Outcome("i-1", OutcomeStatus.COMPLETED, -1L, "executor-1", null, null, null), T0.plusSeconds(1));

        assertDeadLettered("agent.outcomes", "actualCostMicros is -1");
        assertThat(month("solo").reservedMicros()).isEqualTo(2_000_000);
        assertThat(month("solo").spentMicros()).isZero();
        assertNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void anActualCostBeyondTheLargestAmountIsDeadLetteredForAnAgentWithAPool() {
        mediator.send(spend("i-1", "pooled", 2_000_000), T0);
        mediator.report(new Outcome("i-1", OutcomeStatus.COMPLETED, Long.MAX_VALUE, "executor-1", null, null, null), T0.plusSeconds(1));

        assertDeadLettered("agent.outcomes", "actualCostMicros is " + Long.MAX_VALUE);
        assertThat(month("pooled").reservedMicros()).isEqualTo(2_000_000);
        assertNextIntentOfAnotherAgentIsDecided();
        // The executor's honest report still settles it.
        mediator.report("i-1", OutcomeStatus.COMPLETED, 1_500_000L, T0.plusSeconds(5));
        assertThat(month("pooled").spentMicros()).isEqualTo(1_500_000);
    }

    @Test
    void aSixtyThousandCharacterIntentIdOfAnAgentWithAPoolIsRejectedMalformedAndTheLedgersStayReadable() {
        String huge = "x".repeat(60_000);
        mediator.send(spend(huge, "pooled", 1_000_000), T0);

        Decision rejected = onlyDecision();
        assertThat(rejected.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(rejected.getReasons().get(0).getCode()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(rejected.getReasons().get(0).getMessage()).contains("intentId has 60000 characters", "limits.id.max.chars=255");
        assertThat(rejected.getIntentId()).hasSizeLessThanOrEqualTo(255).startsWith("xxxx").contains("60000 chars");
        assertThat(month("pooled").reservedMicros()).isZero();

        mediator.send(spend("after", "pooled", 1_000_000), T0.plusSeconds(1));
        assertThat(mediator.decision("after").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void aSixtyThousandCharacterIntentIdOfAnAgentWithoutAPoolLeavesItsLaterIntentsDecided() {
        mediator.send(spend("y".repeat(60_000), "solo", 1_000_000), T0);
        mediator.send(spend("later", "solo", 1_000_000), T0.plusSeconds(1));

        assertThat(mediator.decisions()).extracting(d -> d.getReasons().isEmpty() ? null : d.getReasons().get(0).getCode())
                .containsExactly(ReasonCode.MALFORMED, null);
        assertThat(mediator.decision("later").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(mediator.deadLetters()).isEmpty();
    }

    @Test
    void aThreeHundredThousandCharacterIntentIdOfAnUnknownAgentGivesASmallCaseFile() {
        String huge = "z".repeat(300_000);
        mediator.send(spend(huge, "nobody-we-know", 1_000_000), T0);

        Decision rejected = onlyDecision();
        assertThat(rejected.getReasons()).extracting(r -> r.getCode()).contains(ReasonCode.MALFORMED);
        // Rejected before its id was trusted: filed under where it was read, not under the id
        AuditRecord caseFile = mediator.caseFiles().get("untrusted:agent.intents-0@0:" + rejected.getIntentId());
        byte[] serialized = mediator.topics().audit().valueSerde().serializer().serialize(mediator.topics().audit().name(), caseFile);
        assertThat(serialized.length).isLessThan(20_000);
        assertNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void anIntentWithTwoThousandClaimsIsRejectedBeforeTheLedgerHearsOfIt() {
        List<ResourceClaim> claims = IntStream.range(0, 2_000)
                .mapToObj(i -> ResourceClaim.newBuilder().setResourceId("room-1").setQuantity(1)
                        .setFrom(T0.plusSeconds(3600L * i)).setUntil(T0.plusSeconds(3600L * i + 60)).build())
                .toList();
        mediator.send(AgentIntent.newBuilder(spend("many-claims", "solo", 0)).setClaims(claims).build(), T0);

        Decision rejected = mediator.decision("many-claims");
        assertThat(rejected.getReasons().get(0).getCode()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(rejected.getReasons().get(0).getMessage()).contains("claims has 2000 entries", "limits.claims.max=64");
        assertThat(countOf(LedgerStores.RESOURCE_HOLDS)).isZero();
        assertNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void anApprovalWithAnOversizedApproverIdIsDeadLetteredAndTheEscalationStaysOpen() {
        mediator.send(AgentIntent.newBuilder(spend("unsure", "solo", 1_000_000)).setConfidence(0.1).build(), T0);
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        mediator.approve(new Approval("unsure", "m".repeat(5_000), ApprovalDecision.APPROVE, null, null, null), T0.plusSeconds(1));

        assertDeadLettered("agent.approvals", "approverId has 5000 characters");
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        mediator.approve("unsure", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(2));
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void aCaseEventTheCaseKeeperFailsOnIsDeadLetteredByTheGuard() {
        mediator.send(spend("i-1", "solo", 2_000_000), T0);
        mediator.pipe(mediator.topics().caseEvents(), "solo", new CaseEvent("i-1", null, null, "nowhere", null), T0.plusSeconds(1));

        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(header(letter, DeadLetterHeaders.PROCESSOR)).isEqualTo("case-keeper");
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("agent.case-events");
        assertThat(month("solo").reservedMicros()).isEqualTo(2_000_000);
        assertNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void aLedgerRequestTheResourceLedgerFailsOnIsDeadLetteredByTheGuard() {
        AgentIntent wantsRoom = AgentIntent.newBuilder(spend("room", "solo", 0)).setClaims(List.of(
                ResourceClaim.newBuilder().setResourceId("room-1").setQuantity(1).setFrom(T0).setUntil(T0.plusSeconds(3600)).build()))
                .build();
        // A claim whose step is for room-1, keyed for another resource: the ledger refuses to hold anything for it.
        mediator.pipe(mediator.topics().ledgerRequests(), LedgerKey.resource("room-2").toString(),
                LedgerRequests.claim(wantsRoom, "solo", ClaimPlan.claims(wantsRoom), T0), T0);

        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(header(letter, DeadLetterHeaders.PROCESSOR)).isEqualTo("resource-ledger");
        assertThat(header(letter, DeadLetterHeaders.ERROR_MESSAGE)).contains("arrived keyed resource:room-2");
        assertThat(countOf(LedgerStores.RESOURCE_HOLDS)).isZero();
        mediator.send(wantsRoom, T0.plusSeconds(1));
        assertThat(mediator.decision("room").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertNextIntentOfAnotherAgentIsDecided();
    }

    /** TopologyTestDriver does not show the dead letters of records it could not read; BadRecordsIT reads them on a broker. */
    @Test
    void anUnreadableRecordOnAnInternalTopicIsSkippedAndProcessingGoesOn() {
        mediator.pipe(new TopicSpec<>(mediator.topics().ledgerReplies().name(), Serdes.ByteArray(), Serdes.ByteArray(), false),
                "solo".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8), T0);

        assertThat(mediator.decisions()).isEmpty();
        assertNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void aCaseFileLargerThanTheProducerSendsIsDeadLetteredWithItsKeyAndTheDecisionStillGoesOut() {
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of(
                ConfigKeys.LIMITS_TEXT_MAX_CHARS.name(), "1000000", "producer.max.request.size", "60000"));
        try (PipelineDriver small = new PipelineDriver(POLICY, T0, config)) {
            // An intent exactly as large as the mediator moves between partitions (a larger one is rejected MALFORMED for its
            // size): its case file, the intent and all that was found about it, is larger
            small.send(ofSerializedSize(small, AgentIntent.newBuilder(spend("wordy", "nobody-we-know", 1_000)).build(),
                    60_000 - RecordSize.FRAMING_BYTES), T0);

            assertThat(small.decision("wordy").getReasons().get(0).getCode()).isEqualTo(ReasonCode.UNKNOWN_AGENT);
            assertThat(small.caseFiles()).isEmpty();
            List<TestRecord<byte[], byte[]>> letters = small.deadLetters();
            assertThat(letters).singleElement().satisfies(letter -> {
                // An unknown agent's id is not trusted: its case file's key is where it was read
                assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("untrusted:agent.intents-0@0:wordy");
                assertThat(letter.value()).isNull();
                assertThat(header(letter, DeadLetterHeaders.OUTPUT_TOPIC)).isEqualTo("agent.audit");
                assertThat(header(letter, DeadLetterHeaders.ERROR_MESSAGE)).contains("over the 60000 bytes the producer sends");
            });
            small.send(spend("short", "solo", 1_000), T0.plusSeconds(1));
            assertThat(small.decision("short").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        }
    }

    /**
     * Its letter carries every original header beside its own: one whose headers take nearly all a record may (the broker took
     * it compressed) made a letter the producer refuses, on which the stream thread died at every retry.
     */
    @Test
    void anUnreadableApprovalWithAMegabyteOfHeadersIsDeadLetteredAsARecordTheProducerSends() {
        mediator.send(AgentIntent.newBuilder(spend("unsure", "solo", 1_000_000)).setConfidence(0.1).build(), T0);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-baggage", new byte[RecordSize.DEFAULT_MAX_REQUEST_BYTES - 400]);
        byte[] key = bytes("unsure");
        assertThat(producerSize(key, new byte[0], headers)).isLessThanOrEqualTo(RecordSize.DEFAULT_MAX_REQUEST_BYTES);

        mediator.pipe(mediator.topics().approvals(), key, new byte[0], headers, T0.plusSeconds(1));

        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("agent.approvals");
        assertThat(header(letter, DeadLetterHeaders.HEADERS_DROPPED)).isEqualTo((RecordSize.DEFAULT_MAX_REQUEST_BYTES - 400 + 13 + 10)
                + " bytes");
        assertThat(producerSize(letter.key(), letter.value(), letter.headers())).isLessThanOrEqualTo(RecordSize.DEFAULT_MAX_REQUEST_BYTES);
        mediator.approve("unsure", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(2));
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertNextIntentOfAnotherAgentIsDecided();
    }

    /** Counted by their keys and values alone, four hundred thousand empty headers passed for a third of what they take. */
    @Test
    void anUnreadableOutcomeWithFourHundredThousandEmptyHeadersIsDeadLetteredAsARecordTheProducerSends() {
        RecordHeaders headers = new RecordHeaders();
        IntStream.range(0, 400_000).forEach(i -> headers.add("h", null));

        mediator.pipe(mediator.topics().outcomes(), bytes("i-1"), bytes("not avro"), headers, T0);

        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("agent.outcomes");
        assertThat(letter.headers().lastHeader("h")).isNull();
        assertThat(letter.value()).isEqualTo(bytes("not avro"));
        assertThat(producerSize(letter.key(), letter.value(), letter.headers())).isLessThanOrEqualTo(RecordSize.DEFAULT_MAX_REQUEST_BYTES);
        assertNextIntentOfAnotherAgentIsDecided();
    }

    @Test
    void anUnreadableIntentWithAMegabyteOfHeadersIsDeadLetteredAsARecordTheProducerSends() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-baggage", new byte[RecordSize.DEFAULT_MAX_REQUEST_BYTES - 400]);

        mediator.pipe(mediator.topics().intents(), bytes("solo"), bytes("not avro"), headers, T0);

        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("agent.intents");
        assertThat(letter.key()).isEqualTo(bytes("solo"));
        assertThat(producerSize(letter.key(), letter.value(), letter.headers())).isLessThanOrEqualTo(RecordSize.DEFAULT_MAX_REQUEST_BYTES);
        assertNextIntentOfAnotherAgentIsDecided();
    }

    private void assertNextIntentOfAnotherAgentIsDecided() {
        String id = "bystander-" + sent++;
        mediator.send(spend(id, "bystander", 1_000), T0.plusSeconds(600 + sent));
        assertThat(mediator.decision(id)).isNotNull();
        assertThat(mediator.decision(id).getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private void assertDeadLettered(String sourceTopic, String because) {
        TestRecord<byte[], byte[]> letter = onlyDeadLetter();
        assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(sourceTopic);
        assertThat(header(letter, DeadLetterHeaders.ERROR_MESSAGE)).contains(because);
    }

    private TestRecord<byte[], byte[]> onlyDeadLetter() {
        List<TestRecord<byte[], byte[]>> letters = mediator.deadLetters();
        assertThat(letters).hasSize(1);
        return letters.get(0);
    }

    private Decision onlyDecision() {
        List<Decision> decisions = mediator.decisions();
        assertThat(decisions).hasSize(1);
        return decisions.get(0);
    }

    private long countOf(String store) {
        List<Object> all = new ArrayList<>();
        try (var it = mediator.store(store).all()) {
            it.forEachRemaining(all::add);
        }
        return all.size();
    }

    private WindowUsage month(String agentId) {
        return mediator.agentBudgets(agentId, T0.plusSeconds(1)).get(0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What the producer compares with {@code max.request.size} before it sends (KafkaProducer's size check). */
    private static int producerSize(byte[] key, byte[] value, Headers headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key, value,
                headers.toArray());
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** {@code intent} with a reasoning that makes its record value exactly {@code bytes} long. */
    private static AgentIntent ofSerializedSize(PipelineDriver driver, AgentIntent intent, int bytes) {
        String topic = driver.topics().intents().name();
        int length = bytes;
        AgentIntent sized = intent;
        for (int attempt = 0; attempt < 3; attempt++) {
            sized = AgentIntent.newBuilder(intent).setReasoning("w".repeat(length)).build();
            length -= driver.topics().intentSerde().serializer().serialize(topic, sized).length - bytes;
        }
        assertThat(driver.topics().intentSerde().serializer().serialize(topic, sized)).hasSize(bytes);
        return sized;
    }

    private static AgentIntent spend(String intentId, String agentId, long costMicros) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("llm.call").setTarget("llm:large")
                .setCostMicros(costMicros).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
