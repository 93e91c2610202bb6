package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.serde.WireFormat;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An intent that waits for its dependencies is kept whole in {@code waiting-intents}: the record as it arrived, its headers
 * and a case file repeating its fields. Each is within its own limit, the whole may not be: one the changelog cannot take
 * stopped the stream thread at every retry, and with it every agent of the partition.
 */
class WaitingIntentSizeTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "waiting-size-1"
            defaults: { escalationTimeout: PT4H, dependencyTimeout: PT1H }
            tiers: [MANAGER]
            agents:
              - id: planner
                capabilities: { actions: ["*"], targets: ["*"] }
            """;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("waiting-size");
    private final Topics topics = new Topics("agent.", registry);
    private final TopologyTestDriver driver = new TopologyTestDriver(
            MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics,
                    new CurrentPolicy(PolicyParser.parse("p.yaml", POLICY).policy()), new HealthState(), UnaryOperator.identity())),
            TestDrivers.streamsSettings(), T0);

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldRejectAnIntentTooLargeToKeepWhileItWaitsAndKeepOneThatFits() throws IOException {
        // Given two intents that depend on one nobody reported, each within every input limit (60,000 characters of reasoning
        // of the 65,536 allowed), written with a newer schema whose one more field this reader skips: one sent as it is, the
        // other with that field filling what the producer may send
        int maxRecordBytes = RecordSize.DEFAULT_MAX_REQUEST_BYTES;
        byte[] fits = newerWriter(waiting("w-fits"), 0);
        byte[] current = topics.intentSerde().serializer().serialize(topics.intents().name(), waiting("w-large"));
        byte[] large = newerWriter(waiting("w-large"), maxRecordBytes - RecordSize.FRAMING_BYTES - current.length - 16);
        assertThat(RecordSize.fits(large, new RecordHeaders(), maxRecordBytes)).as("the large one as it arrives").isTrue();

        // When both arrive
        send(fits);
        send(large);

        // Then the one that fits waits, and the other is rejected as malformed, saying why, with nothing kept for it
        assertThat(driver.getKeyValueStore(GateStores.WAITING_INTENTS).get("w-fits")).isNotNull();
        assertThat(driver.getKeyValueStore(GateStores.WAITING_INTENTS).get("w-large")).isNull();
        Decision rejected = driver.createOutputTopic(topics.reject().name(), Serdes.String().deserializer(),
                topics.reject().valueSerde().deserializer()).readValue();
        assertThat(rejected.getIntentId()).isEqualTo("w-large");
        assertThat(rejected.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(rejected.getReasons().get(0).getCode()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(rejected.getReasons().get(0).getMessage()).contains("waiting for its dependencies", "max.request.size " + maxRecordBytes);
        // And every record written to the store's changelog fits what the producer sends
        String applicationId = new StreamsConfig(TestDrivers.streamsSettings()).getString(StreamsConfig.APPLICATION_ID_CONFIG);
        List<TestRecord<byte[], byte[]>> changelog = driver.createOutputTopic(applicationId + "-" + GateStores.WAITING_INTENTS + "-changelog",
                Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList();
        assertThat(changelog).hasSize(1).allSatisfy(record -> assertThat(record.key().length + record.value().length + RecordSize.FRAMING_BYTES)
                .isLessThanOrEqualTo(maxRecordBytes));
    }

    private static AgentIntent waiting(String id) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("planner").setAction("report.generate").setTarget("erp")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.9).setReasoning("\u4e00".repeat(60_000))
                .setDependsOn(List.of("never-reported")).build();
    }

    /** The intent in the wire format of a newer schema with one more string field at the end, of {@code extraBytes}. */
    private byte[] newerWriter(AgentIntent intent, int extraBytes) throws IOException {
        List<Schema.Field> fields = new ArrayList<>();
        AgentIntent.getClassSchema().getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("context", Schema.create(Schema.Type.STRING), null, ""));
        Schema newer = Schema.createRecord(AgentIntent.getClassSchema().getName(), null, AgentIntent.getClassSchema().getNamespace(),
                false, fields);
        int newerId = registry.register(topics.intents().name() + "-value", newer);
        byte[] current = topics.intentSerde().serializer().serialize(topics.intents().name(), intent);
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        value.write(WireFormat.header(newerId));
        value.write(current, WireFormat.HEADER_SIZE, current.length - WireFormat.HEADER_SIZE);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(value, null);
        encoder.writeString("x".repeat(extraBytes));
        encoder.flush();
        return value.toByteArray();
    }

    private void send(byte[] value) {
        driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                .pipeInput(new TestRecord<>("planner".getBytes(StandardCharsets.UTF_8), value, T0));
    }
}
