package io.agentmediator.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.demo.DemoKeys;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.intake.RecordOrigin;
import io.agentmediator.limits.RecordLimits;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Intents are decided in their agent's partition (murmur2 of the key) whatever partition the producer
 * chose: in place when they are already there, otherwise moved once through the placed-intents topic.
 */
class IntentPlacementTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    private static final String EXECUTOR = "executor:finance-analyst";
    private static final KeyPartitioning THREE = new KeyPartitioning(3);

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("placement-test"));

    @Test
    void shouldPlaceAgentsAsJavasDefaultPartitionerDoes() {
        // Given the values Java's producer computes for these keys over three partitions (murmur2, positive, modulo)
        byte[] key = "finance-analyst".getBytes(StandardCharsets.UTF_8);

        // When / Then
        assertThat(THREE.partitionOf(key))
                .isEqualTo((org.apache.kafka.common.utils.Utils.murmur2(key) & 0x7fffffff) % 3)
                .isEqualTo(new KeyPartitioner().partitions("t", key, new byte[0], 3).orElseThrow().iterator().next());
    }

    @Test
    void shouldPassOnAnIntentAlreadyInItsAgentsPartitionAndMoveEveryOther() {
        // Given an agent whose partition of three is known
        byte[] key = "finance-analyst".getBytes(StandardCharsets.UTF_8);
        int home = THREE.partitionOf(key);
        MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>();
        RecordPlacer placer = new RecordPlacer(THREE, "decoder", "move", Integer.MAX_VALUE);
        placer.init(context);
        RecordHeaders headers = new RecordHeaders();
        headers.add("mediator-signature", new byte[] {1, 2, 3});
        Record<byte[], byte[]> record = new Record<>(key, new byte[] {0, 0, 0, 0, 1}, T0.toEpochMilli(), headers);

        // When it arrives on each partition in turn
        for (int partition = 0; partition < 3; partition++) {
            context.setRecordMetadata("agent.intents", partition, partition);
            placer.process(record);
        }

        // Then only the one on its partition goes on; the others are moved unchanged (key, value, headers, timestamp) but for a
        // header saying where each was read
        List<CapturedForward<? extends byte[], ? extends byte[]>> forwarded = context.forwarded();
        assertThat(forwarded).hasSize(3);
        for (int partition = 0; partition < 3; partition++) {
            CapturedForward<? extends byte[], ? extends byte[]> forward = forwarded.get(partition);
            assertThat(forward.childName()).contains(partition == home ? "decoder" : "move");
            if (partition == home) {
                assertThat(forward.record()).isEqualTo(record);
                continue;
            }
            assertThat(forward.record().key()).isEqualTo(key);
            assertThat(forward.record().value()).isEqualTo(record.value());
            assertThat(forward.record().timestamp()).isEqualTo(record.timestamp());
            assertThat(forward.record().headers().lastHeader("mediator-signature").value()).isEqualTo(new byte[] {1, 2, 3});
            assertThat(new String(forward.record().headers().lastHeader(RecordOrigin.PLACED_FROM).value(), StandardCharsets.UTF_8))
                    .isEqualTo("agent.intents:" + partition + ":" + partition);
        }
        assertThat(record.headers().lastHeader(RecordOrigin.PLACED_FROM)).as("the record read is left as it was").isNull();
    }

    @Test
    void shouldNameWhereItsProducerWroteAMovedIntentInItsDeadLetterAndCaseKeyAndDropMediatorHeadersItsProducerSent() {
        // Given the topology over three partitions, the test driver reading every record from partition 0
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<byte[], byte[]> intents =
                    driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            RecordHeaders forged = new RecordHeaders();
            for (String name : List.of(DeadLetterHeaders.PROCESSOR, DeadLetterHeaders.VALUE_DROPPED, DeadLetterHeaders.SOURCE_TOPIC,
                    RecordOrigin.PLACED_FROM)) {
                forged.add(name, "forged".getBytes(StandardCharsets.UTF_8));
            }
            forged.add("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));

            // When an unreadable record of an agent whose partition is not 0 arrives (agent.intents-0@0), with mediator headers of
            // its producer's, then an intent under another agent's key, moved the same way (agent.intents-0@1)
            intents.pipeInput(new TestRecord<>(agentNotOn(0).getBytes(StandardCharsets.UTF_8),
                    "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8), forged, T0));
            intents.pipeInput(new TestRecord<>(agentNotOn(0).getBytes(StandardCharsets.UTF_8),
                    topics.intentSerde().serializer().serialize(topics.intents().name(), intent("keyed-wrong", agentOn(0))), T0));

            // Then the letter names where its producer wrote it, not the placed topic that forgets it, and carries the producer's
            // own headers but none of the mediator's it did not write
            List<TestRecord<byte[], byte[]>> letters = driver.createOutputTopic(topics.intentsDlq().name(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList();
            assertThat(letters).singleElement().satisfies(letter -> {
                assertThat(text(letter, DeadLetterHeaders.SOURCE_TOPIC)).containsExactly("agent.intents");
                assertThat(text(letter, DeadLetterHeaders.SOURCE_PARTITION)).containsExactly("0");
                assertThat(text(letter, DeadLetterHeaders.SOURCE_OFFSET)).containsExactly("0");
                assertThat(text(letter, DeadLetterHeaders.PROCESSOR)).isEmpty();
                assertThat(text(letter, DeadLetterHeaders.VALUE_DROPPED)).isEmpty();
                assertThat(text(letter, RecordOrigin.PLACED_FROM)).isEmpty();
                assertThat(text(letter, "trace-id")).containsExactly("t-1");
            });
            // And the intent under another agent's key is filed under where its producer wrote it too
            assertThat(driver.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                    topics.audit().valueSerde().deserializer()).readKeyValuesToMap().keySet())
                    .singleElement().satisfies(key -> assertThat(key).contains("agent.intents-0@1").doesNotContain("placed"));
        }
    }

    @Test
    void shouldDecideAnIntentWithHeadersAtTheLimitAlikeMovedOrInPlace() {
        // Given two intents whose headers take exactly what an intent may carry, one of an agent on partition 0 (read in place by
        // the test driver), one of an agent elsewhere (moved, with the placer's header added)
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<byte[], byte[]> intents =
                    driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            for (AgentIntent intent : List.of(intent("in-place", agentOn(0)), intent("moved", agentNotOn(0)))) {
                RecordHeaders full = new RecordHeaders();
                full.add("padding", new byte[RecordLimits.HEADERS_MAX_BYTES - "padding".length()]);
                intents.pipeInput(new TestRecord<>(intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                        topics.intentSerde().serializer().serialize(topics.intents().name(), intent), full, T0));
            }

            // Then both are decided alike: neither is malformed for headers its producer did not send
            List<Decision> decisions = driver.createOutputTopic(topics.reject().name(), topics.reject().keySerde().deserializer(),
                    topics.reject().valueSerde().deserializer()).readValuesToList();
            assertThat(decisions).extracting(Decision::getIntentId).containsExactlyInAnyOrder("in-place", "moved");
            assertThat(decisions).allSatisfy(decision -> assertThat(decision.getReasons()).extracting(reason -> reason.getCode().name())
                    .containsExactly("UNKNOWN_AGENT"));
        }
    }

    @Test
    void shouldMoveOrRefuseAnIntentAlikeWhateverItsProducerCallsItsHeaders() {
        // Given a mediator that may send records of up to 60,000 bytes, and two intents of an agent whose partition is not 0
        // (where the test driver reads them), each with 50,000 bytes of headers: one named as any, one as the placer's
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of("producer.max.request.size", "60000"));
        try (TopologyTestDriver driver = driver(config)) {
            TestInputTopic<byte[], byte[]> intents =
                    driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            for (Map.Entry<String, String> each : Map.of("padded", "padding", "named-as-placer", RecordOrigin.PLACED_FROM).entrySet()) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(each.getValue(), new byte[50_000]);
                AgentIntent intent = intent(each.getKey(), agentNotOn(0));
                intents.pipeInput(new TestRecord<>(intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                        topics.intentSerde().serializer().serialize(topics.intents().name(), intent), headers, T0));
            }

            // Then the header named as the placer's neither keeps its intent from moving to its agent's partition nor counts
            // against it: it is moved and decided there, where the other is refused for its size wherever it is read
            assertThat(driver.createOutputTopic(topics.intentsPlaced().name(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).readRecordsToList()).singleElement()
                    .satisfies(moved -> assertThat(new String(moved.headers().lastHeader(RecordOrigin.PLACED_FROM).value(),
                            StandardCharsets.UTF_8)).startsWith("agent.intents:0:"));
            Map<String, List<String>> reasons = new java.util.HashMap<>();
            driver.createOutputTopic(topics.reject().name(), topics.reject().keySerde().deserializer(), topics.reject().valueSerde().deserializer())
                    .readValuesToList().forEach(decision -> reasons.put(decision.getIntentId(),
                            decision.getReasons().stream().map(reason -> reason.getCode().name()).toList()));
            assertThat(reasons).containsEntry("padded", List.of("MALFORMED")).containsEntry("named-as-placer", List.of("UNKNOWN_AGENT"));
        }
    }

    @Test
    void shouldNameWhereItsProducerWroteAnAnswerSentWithoutItsIntentIdAsKeyAndNoOriginItsProducerClaims() {
        // Given an executed intent
        String intentId = "executed-1";
        try (TopologyTestDriver driver = driver()) {
            send(driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer()),
                    AgentIntent.newBuilder(intent(intentId, "finance-analyst")).setAction("invoice.create").setCostMicros(100_000).build());
            TestInputTopic<byte[], byte[]> outcomes =
                    driver.createInputTopic(topics.outcomes().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());

            // When its executor reports it without a key (agent.outcomes-0@0), and a forger sends an unsigned outcome without a key
            // claiming in the placer's header to have been written there too (agent.outcomes-0@1)
            byte[] outcome = topics.outcomeSerde().serializer().serialize(topics.outcomes().name(),
                    new Outcome(intentId, OutcomeStatus.COMPLETED, 80_000L, EXECUTOR, null, null, null));
            outcomes.pipeInput(new TestRecord<>(null, outcome, TestKeys.signedBy(EXECUTOR, DemoKeys.privateKey(EXECUTOR), outcome),
                    T0.plusSeconds(1)));
            byte[] forged = topics.outcomeSerde().serializer().serialize(topics.outcomes().name(),
                    new Outcome(intentId, OutcomeStatus.FAILED, 1L, "nobody", "forged", null, null));
            RecordHeaders claim = new RecordHeaders();
            claim.add(RecordOrigin.PLACED_FROM, "agent.outcomes:0:0".getBytes(StandardCharsets.UTF_8));
            outcomes.pipeInput(new TestRecord<>(null, forged, claim, T0.plusSeconds(2)));

            // Then the case's timeline names where each was written, not the placed topic they went round through nor the claim
            AuditRecord caseFile = driver.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                    topics.audit().valueSerde().deserializer()).readKeyValuesToMap().get(intentId);
            assertThat(caseFile.getTimeline()).filteredOn(entry -> entry.getEvent().equals("OUTCOME"))
                    .extracting(entry -> entry.getDetail()).anySatisfy(detail -> assertThat(detail).contains("(agent.outcomes-0@0)"))
                    .anySatisfy(detail -> assertThat(detail).contains("agent.outcomes-0@1"))
                    .noneSatisfy(detail -> assertThat(detail).contains("placed"));
        }
    }

    private static List<String> text(TestRecord<byte[], byte[]> letter, String name) {
        return Stream.of(letter.headers().toArray()).filter(header -> header.key().equals(name))
                .map(header -> new String(header.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shouldLeaveWhereItIsARecordWhoseKeyIsLongerThanAnyIdForItsReaderToRefuse() {
        // Given a key of 20,000 bytes (zstd makes such a record small enough for the broker) and one just short enough
        MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>();
        RecordPlacer placer = new RecordPlacer(THREE, "case-router", "move", Integer.MAX_VALUE);
        placer.init(context);
        byte[] tooLong = "k".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        byte[] longest = Stream.iterate(0, i -> i + 1).map(i -> ("k".repeat(RecordSize.KEY_MAX_BYTES - 6) + String.format("%06d", i))
                .getBytes(StandardCharsets.UTF_8)).filter(k -> THREE.partitionOf(k) != 0).findFirst().orElseThrow();
        context.setRecordMetadata("agent.approvals", THREE.partitionOf(tooLong) == 0 ? 1 : 0, 0);

        // When each arrives outside its key's partition
        placer.process(new Record<>(tooLong, new byte[] {1}, T0.toEpochMilli()));
        context.setRecordMetadata("agent.approvals", 0, 1);
        placer.process(new Record<>(longest, new byte[] {1}, T0.toEpochMilli()));

        // Then the first stays (moved, it would be a record no producer sends, and the thread would die on it); the other moves
        assertThat(context.forwarded()).extracting(forward -> forward.childName().orElseThrow()).containsExactly("case-router", "move");
    }

    @Test
    void shouldPassOnARecordWithoutAKey() {
        MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>();
        RecordPlacer placer = new RecordPlacer(THREE, "decoder", "move", Integer.MAX_VALUE);
        placer.init(context);
        context.setRecordMetadata("agent.intents", 2, 0);

        placer.process(new Record<>(null, new byte[] {1}, T0.toEpochMilli()));

        assertThat(context.forwarded()).singleElement().satisfies(f -> assertThat(f.childName()).contains("decoder"));
    }

    @Test
    void shouldDecideAMovedIntentOnceAndAnIntentInPlaceWithoutMovingIt() {
        // Given the topology over three partitions; the test driver reads every record from partition 0
        String away = agentNotOn(0);
        String home = agentOn(0);
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<byte[], byte[]> intents =
                    driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());

            // When an intent of each arrives on partition 0
            send(intents, intent("i-away", away));
            send(intents, intent("i-home", home));

            // Then the one away from its partition went through the placed topic once, and each was decided once
            List<TestRecord<byte[], byte[]>> moved = driver.createOutputTopic(topics.intentsPlaced().name(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList();
            assertThat(moved).singleElement().satisfies(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(away));
            List<Decision> decided = Stream.of(topics.execute(), topics.escalate(), topics.reject())
                    .flatMap(t -> driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer())
                            .readValuesToList().stream())
                    .toList();
            assertThat(decided).extracting(Decision::getIntentId).containsExactlyInAnyOrder("i-away", "i-home");
            assertThat(decided).extracting(Decision::getOutcome).containsOnly(DecisionOutcome.REJECT);
        }
    }

    @Test
    void shouldNameTheKeyOfARecordSizeLimitThatIsNotANumber() {
        // A number a Helm values file turned into a float
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of("producer.max.request.size", "2.097152e+06"));

        assertThatThrownBy(() -> driver(config)).hasMessage("producer.max.request.size must be a whole number of bytes, was \"2.097152e+06\"");
    }

    @Test
    void shouldRejectAnIntentTooLargeToMoveAsMalformedWhereverItArrivesAndGoOn() {
        // Given a mediator that may send records of up to 60,000 bytes and takes reasonings of up to a million characters
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of(
                ConfigKeys.LIMITS_TEXT_MAX_CHARS.name(), "1000000", "producer.max.request.size", "60000"));
        String away = agentNotOn(0);
        String home = agentOn(0);
        try (TopologyTestDriver driver = driver(config)) {
            TestInputTopic<byte[], byte[]> intents =
                    driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());

            // When an intent larger than that (the broker took it compressed) arrives away from its agent's partition, one
            // arrives on its agent's partition, then another
            send(intents, AgentIntent.newBuilder(intent("bulky-away", away)).setReasoning("b".repeat(70_000)).build());
            send(intents, AgentIntent.newBuilder(intent("bulky-home", home)).setReasoning("b".repeat(70_000)).build());
            send(intents, intent("after", home));

            // Then neither is moved; both are rejected MALFORMED for their size, as the producer's partitioner does not
            // matter (moving it, the first was dead-lettered with its key and no decision), and the next is decided
            assertThat(driver.createOutputTopic(topics.intentsPlaced().name(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).isEmpty()).isTrue();
            assertThat(driver.createOutputTopic(topics.intentsDlq().name(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).isEmpty()).isTrue();
            List<Decision> decided = Stream.of(topics.execute(), topics.escalate(), topics.reject())
                    .flatMap(t -> driver.createOutputTopic(t.name(), t.keySerde().deserializer(), t.valueSerde().deserializer())
                            .readValuesToList().stream())
                    .toList();
            assertThat(decided).extracting(Decision::getIntentId).containsExactlyInAnyOrder("bulky-away", "bulky-home", "after");
            assertThat(decided).filteredOn(d -> d.getIntentId().startsWith("bulky")).hasSize(2).allSatisfy(d -> assertThat(d.getReasons())
                    .singleElement().satisfies(r -> {
                        assertThat(r.getCode()).isEqualTo(io.agentmediator.schema.ReasonCode.MALFORMED);
                        assertThat(r.getMessage()).contains("more than the mediator's producer sends (max.request.size 60000");
                    }));
        }
    }

    @Test
    void shouldSettleAnOutcomeMovedToItsIntentsPartition() {
        // Given an executed intent whose id's partition of three is not 0, where the test driver reads everything
        String intentId = Stream.iterate(0, i -> i + 1).map(i -> "executed-" + i)
                .filter(id -> THREE.partitionOf(id.getBytes(StandardCharsets.UTF_8)) != 0).findFirst().orElseThrow();
        try (TopologyTestDriver driver = driver()) {
            TestInputTopic<byte[], byte[]> intents =
                    driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            send(intents, AgentIntent.newBuilder(intent(intentId, "finance-analyst")).setAction("invoice.create").setCostMicros(100_000)
                    .build());
            assertThat(driver.createOutputTopic(topics.execute().name(), topics.execute().keySerde().deserializer(),
                    topics.execute().valueSerde().deserializer()).readValuesToList()).extracting(Decision::getIntentId).containsExactly(intentId);

            // When its executor reports it on partition 0, signed as the example policy registers it
            byte[] outcome = topics.outcomeSerde().serializer().serialize(topics.outcomes().name(),
                    new Outcome(intentId, OutcomeStatus.COMPLETED, 80_000L, EXECUTOR, null, null, null));
            driver.createInputTopic(topics.outcomes().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                    .pipeInput(new TestRecord<>(intentId.getBytes(StandardCharsets.UTF_8), outcome,
                            TestKeys.signedBy(EXECUTOR, DemoKeys.privateKey(EXECUTOR), outcome), T0.plusSeconds(1)));

            // Then the outcome is moved once to its intent's partition, and settles the case there
            assertThat(driver.createOutputTopic(topics.outcomesPlaced().name(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).readRecordsToList()).hasSize(1);
            AuditRecord caseFile = driver.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                    topics.audit().valueSerde().deserializer()).readKeyValuesToMap().get(intentId);
            assertThat(caseFile.getStage()).isEqualTo(CaseStage.COMPLETED);
            assertThat(caseFile.getTimeline()).extracting(e -> e.getEvent()).contains("OUTCOME", "SETTLED");
        }
    }

    @Test
    void shouldDeadLetterWithItsKeyAndWhyAnUnreadableRecordTooLargeToSendOnWhereverItIsRead() {
        // Given a mediator that may send records of up to 60,000 bytes
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of("producer.max.request.size", "60000"));
        String intentId = Stream.iterate(0, i -> i + 1).map(i -> "answered-" + i)
                .filter(id -> THREE.partitionOf(id.getBytes(StandardCharsets.UTF_8)) == 0).findFirst().orElseThrow();
        byte[] unreadable = "x".repeat(70_000).getBytes(StandardCharsets.UTF_8);
        try (TopologyTestDriver driver = driver(config)) {
            TestInputTopic<byte[], byte[]> intents =
                    driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());

            // When an intent and an approval larger than that, neither readable, arrive on their keys' partitions, then an intent
            intents.pipeInput(new TestRecord<>(agentOn(0).getBytes(StandardCharsets.UTF_8), unreadable, T0));
            driver.createInputTopic(topics.approvals().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                    .pipeInput(new TestRecord<>(intentId.getBytes(StandardCharsets.UTF_8), unreadable, T0));
            send(intents, intent("after", agentOn(0)));

            // Then each is dead-lettered with its key and why but not its value, which no producer of the mediator's could send
            List<TestRecord<byte[], byte[]>> letters = driver.createOutputTopic(topics.intentsDlq().name(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList();
            assertThat(letters).extracting(letter -> new String(letter.key(), StandardCharsets.UTF_8)).containsExactly(agentOn(0), intentId);
            assertThat(letters).allSatisfy(letter -> {
                assertThat(letter.value()).isNull();
                assertThat(letter.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE)).isNotNull();
            });
            assertThat(driver.createOutputTopic(topics.reject().name(), topics.reject().keySerde().deserializer(),
                    topics.reject().valueSerde().deserializer()).readValuesToList()).extracting(Decision::getIntentId).containsExactly("after");
        }
    }

    private TopologyTestDriver driver() {
        return driver(MediatorConfig.defaults());
    }

    private TopologyTestDriver driver(MediatorConfig config) {
        return new TopologyTestDriver(
                MediatorTopology.build(TopologyParts.of(config, topics,
                        new CurrentPolicy(PolicySource.load("classpath:policies/example.yaml").policy()), new HealthState(),
                        UnaryOperator.identity()), new Placements(THREE, THREE, THREE, THREE)),
                TestDrivers.streamsSettings(), T0);
    }

    /** An agent id the policy does not know (rejected UNKNOWN_AGENT, spends nothing) whose partition is {@code partition}. */
    private static String agentOn(int partition) {
        return Stream.iterate(0, i -> i + 1).map(i -> "roaming-agent-" + i)
                .filter(id -> THREE.partitionOf(id.getBytes(StandardCharsets.UTF_8)) == partition)
                .findFirst().orElseThrow();
    }

    private static String agentNotOn(int partition) {
        return agentOn((partition + 1) % 3);
    }

    private AgentIntent intent(String intentId, String agentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("report.generate").setTarget("erp")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.9).setClaims(List.of()).build();
    }

    private void send(TestInputTopic<byte[], byte[]> intents, AgentIntent intent) {
        intents.pipeInput(new TestRecord<>(intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                topics.intentSerde().serializer().serialize(topics.intents().name(), intent), T0));
    }
}
