package io.agentmediator.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executed or escalated intent's case file is filed in its partition and published on the audit topic from one
 * encoding, and what the store filed before still reads.
 */
class CaseFileEncodingTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    /** An agent without a pool: its intents are decided in one hop, so the decision's case file is the only one. */
    private static final String POLICY = """
            version: "case-file-encoding"
            defaults: { zone: UTC }
            tiers: [MANAGER]
            agents:
              - id: finance-analyst
                owner: maria@example.com
                department: finance
                capabilities: { actions: ["invoice.*"], targets: ["erp"] }
                authority: { maxCommitmentMicros: 5000000000 }
                budgets:
                  - { window: DAY, limitMicros: 50000000 }
            """;

    @TempDir Path dir;

    @Test
    void shouldEncodeAnExecutedIntentsCaseFileOnceForTheStoreAndTheAuditTopic() throws IOException {
        CountingRegistry registry = new CountingRegistry(new InMemorySchemaRegistry("case-file-encoding"));
        Topics topics = new Topics("agent.", registry);
        try (TopologyTestDriver driver = driver(topics)) {
            TestInputTopic<byte[], byte[]> intents =
                    driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            int before = registry.caseFileEncodings.get();

            for (int i = 1; i <= 3; i++) {
                send(topics, intents, invoice("i-" + i).build());
            }

            assertThat(registry.caseFileEncodings.get() - before).as("case files encoded for three executed intents").isEqualTo(3);
            Map<String, AuditRecord> published = driver.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                    topics.audit().valueSerde().deserializer()).readKeyValuesToMap();
            var filed = driver.<String, CaseFileValue>getKeyValueStore(CaseStores.EXECUTED_CASES);
            for (int i = 1; i <= 3; i++) {
                assertThat(published.get("i-" + i)).isNotNull();
                assertThat(filed.get("i-" + i).caseFile()).as("i-%d as filed", i).isEqualTo(published.get("i-" + i));
            }

            // What versions before this one filed: the case file encoded for the changelog's own subject.
            AuditRecord caseFile = published.get("i-1");
            byte[] filedBefore = topics.audit().valueSerde().serializer().serialize("agent-mediator-executed-cases-changelog", caseFile);
            CaseFileCodec codec = new CaseFileCodec(topics.audit().name(), topics.audit().valueSerde());
            CaseFileValue read = codec.storeSerde().deserializer().deserialize("agent-mediator-executed-cases-changelog", filedBefore);
            assertThat(read.caseFile()).isEqualTo(caseFile);
            assertThat(read.bytes()).as("what it takes in the store, as read").isEqualTo(filedBefore.length);
        }
    }

    @Test
    void shouldEncodeAnEscalatedIntentsCaseFileOnceForTheStoreItsSizeAndTheAuditTopic() throws IOException {
        CountingRegistry registry = new CountingRegistry(new InMemorySchemaRegistry("case-file-encoding"));
        Topics topics = new Topics("agent.", registry);
        try (TopologyTestDriver driver = driver(topics)) {
            TestInputTopic<byte[], byte[]> intents =
                    driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            int before = registry.caseFileEncodings.get();

            // Over the agent's authority: each waits for a person, its case file filed among the open escalations
            for (int i = 1; i <= 3; i++) {
                send(topics, intents, invoice("e-" + i).setCommitmentMicros(6_000_000_000L).build());
            }

            assertThat(registry.caseFileEncodings.get() - before).as("case files encoded for three escalated intents").isEqualTo(3);
            Map<String, AuditRecord> published = driver.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                    topics.audit().valueSerde().deserializer()).readKeyValuesToMap();
            var open = driver.<String, CaseFileValue>getKeyValueStore(GateStores.OPEN_ESCALATIONS);
            for (int i = 1; i <= 3; i++) {
                assertThat(published.get("e-" + i).getStage()).as("e-%d", i).hasToString("ESCALATE");
                assertThat(open.get("e-" + i).caseFile()).as("e-%d as filed", i).isEqualTo(published.get("e-" + i));
            }
        }
    }

    private TopologyTestDriver driver(Topics topics) throws IOException {
        var policy = PolicySource.load(Files.writeString(dir.resolve("policy.yaml"), POLICY)).policy();
        return new TopologyTestDriver(MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics, new CurrentPolicy(policy),
                new HealthState(), UnaryOperator.identity())), TestDrivers.streamsSettings(), T0);
    }

    private static AgentIntent.Builder invoice(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("finance-analyst").setAction("invoice.create").setTarget("erp")
                .setCostMicros(2_500_000L).setConfidence(0.95);
    }

    private static void send(Topics topics, TestInputTopic<byte[], byte[]> intents, AgentIntent intent) {
        intents.pipeInput(new TestRecord<>("finance-analyst".getBytes(StandardCharsets.UTF_8),
                topics.intentSerde().serializer().serialize(topics.intents().name(), intent), T0));
    }

    /** Counts how often a case file is encoded: every encoding asks the registry for its schema's id. */
    private static final class CountingRegistry implements SchemaRegistryClient {

        private final SchemaRegistryClient registry;
        private final AtomicInteger caseFileEncodings = new AtomicInteger();

        CountingRegistry(SchemaRegistryClient registry) {
            this.registry = registry;
        }

        @Override
        public int register(String subject, Schema schema) {
            if (schema.equals(AuditRecord.getClassSchema())) {
                caseFileEncodings.incrementAndGet();
            }
            return registry.register(subject, schema);
        }

        @Override
        public int idOf(String subject, Schema schema) {
            return registry.idOf(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            return registry.schemaById(id);
        }
    }
}
