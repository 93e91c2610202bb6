package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.KafkaTestClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on a real broker, exactly-once, read the way executors read. */
@Tag("slow")
class PipelineIT {

    private static EmbeddedKafkaBroker broker;
    @TempDir static Path stateDir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldDecideEachIntentOnceAndDeadLetterGarbageWithExactlyOnceOutput() throws Exception {
        String scope = "pipeline-it";
        MediatorConfig config =
                MediatorConfig.defaults()
                        .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                        .with(ConfigKeys.STATE_DIR, stateDir.toString())
                        .with(ConfigKeys.HTTP_PORT, "0")
                        .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + scope)
                        .with(ConfigKeys.APPLICATION_ID, "pipeline-it");
        try (MediatorApp app = MediatorApp.start(config, new HealthState())) {
            app.awaitRunning(Duration.ofSeconds(60));
            assertThat(app.health().ready()).isTrue();
            var topics = app.topics();

            // Given 20 intents of a known agent, 5 of an unknown one, and 3 unreadable records
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                for (int i = 0; i < 25; i++) {
                    AgentIntent intent = intent("it-" + i, i < 20 ? "finance-analyst" : "shadow-agent");
                    producer.send(new ProducerRecord<>(
                            topics.intents().name(),
                            intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                            topics.intentSerde().serializer().serialize(topics.intents().name(), intent)));
                }
                producer.send(new ProducerRecord<>(topics.intents().name(), "g1".getBytes(StandardCharsets.UTF_8), "garbage".getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(topics.intents().name(), "g2".getBytes(StandardCharsets.UTF_8), null));
                producer.send(new ProducerRecord<>(topics.intents().name(), "g3".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 9, 9, 1}));
            }

            // When the executors read committed decisions
            List<ConsumerRecord<byte[], byte[]>> decided =
                    KafkaTestClients.readCommitted(
                            broker.bootstrapServers(),
                            List.of(topics.execute().name(), topics.escalate().name(), topics.reject().name()),
                            25,
                            Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> dead =
                    KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topics.intentsDlq().name()), 3, Duration.ofSeconds(30));
            List<ConsumerRecord<byte[], byte[]>> audit =
                    KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topics.audit().name()), 25, Duration.ofSeconds(30));

            // Then every intent has exactly one decision, on the topic of its outcome
            List<Decision> decisions = decided.stream()
                    .map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                    .toList();
            assertThat(decisions).extracting(Decision::getIntentId).doesNotHaveDuplicates().hasSize(25);
            Map<DecisionOutcome, Long> byOutcome =
                    decisions.stream().collect(Collectors.groupingBy(Decision::getOutcome, Collectors.counting()));
            assertThat(byOutcome).containsEntry(DecisionOutcome.EXECUTE, 20L).containsEntry(DecisionOutcome.REJECT, 5L);
            assertThat(decided)
                    .filteredOn(r -> r.topic().equals(topics.reject().name()))
                    .allSatisfy(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("shadow-agent"));
            assertThat(decisions)
                    .filteredOn(d -> d.getOutcome() == DecisionOutcome.REJECT)
                    .allSatisfy(d -> assertThat(d.getReasons().get(0).getCode()).isEqualTo(ReasonCode.UNKNOWN_AGENT));

            // And the unreadable records are in the DLQ with their bytes and where they came from
            assertThat(dead).hasSize(3);
            assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactlyInAnyOrder("g1", "g2", "g3");
            assertThat(dead).allSatisfy(r -> {
                assertThat(r.headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value())
                        .asString(StandardCharsets.UTF_8).isEqualTo(topics.intents().name());
                assertThat(r.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE)).isNotNull();
            });

            // And each intent has one case file on the compacted audit topic
            List<AuditRecord> caseFiles = audit.stream()
                    .map(r -> topics.audit().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                    .toList();
            assertThat(caseFiles).extracting(AuditRecord::getIntentId).doesNotHaveDuplicates().hasSize(25);
            try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
                ConfigResource auditTopic = new ConfigResource(ConfigResource.Type.TOPIC, topics.audit().name());
                String cleanup = admin.describeConfigs(List.of(auditTopic)).all().get().get(auditTopic)
                        .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
                assertThat(cleanup).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
            }
        } finally {
            SchemaRegistryClients.dropScope(scope);
        }
    }

    private static AgentIntent intent(String intentId, String agentId) {
        return AgentIntent.newBuilder()
                .setIntentId(intentId)
                .setAgentId(agentId)
                .setAction("invoice.create")
                .setTarget("erp")
                .setCostMicros(1_000_000L)
                .setConfidence(0.9)
                .build();
    }
}
