package io.agentmediator.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.testing.BuyerAndManager;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor whose transactional producer aborted its only batch of outcomes, on the real broker: the mediator's group
 * never commits on that partition (Kafka Streams commits only where it processed a record), yet the escalation nobody
 * answers still expires at its deadline. Before, that partition counted unread, the read horizon never moved, and no
 * deadline passed until an outcome was committed there.
 */
@Tag("slow")
class AbortedAnswersIT {

    private static final String SCOPE = "aborted-answers-it";
    @TempDir Path dir;

    @Test
    void shouldExpireAnEscalationAtItsDeadlineThoughAnExecutorsTransactionAbortedOnTheOutcomes() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), BuyerAndManager.policy("aborted-answers-1", Duration.ofSeconds(5)));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(1).start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.TOPIC_PARTITIONS, "1")
                    .with(ConfigKeys.POLICY_FILE, policy.toString())
                    .with(ConfigKeys.ESCALATION_CHECK_INTERVAL, "PT1S")
                    .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                    .with(ConfigKeys.HTTP_PORT, "0");
            try (MediatorApp app = MediatorApp.start(config, new HealthState())) {
                app.awaitRunning(Duration.ofSeconds(60));
                Topics topics = app.topics();

                // Given an executor's transaction that wrote an outcome and aborted: the only record of its partition
                try (KafkaProducer<byte[], byte[]> executor = KafkaTestClients.producer(broker.bootstrapServers(),
                        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "executor-1"))) {
                    executor.initTransactions();
                    executor.beginTransaction();
                    byte[] outcome = topics.outcomeSerde().serializer().serialize(topics.outcomes().name(),
                            new Outcome("unknown-intent", OutcomeStatus.COMPLETED, 1_000L, "executor-1", null, null, null));
                    executor.send(new ProducerRecord<>(topics.outcomes().name(), "unknown-intent".getBytes(StandardCharsets.UTF_8), outcome));
                    executor.flush();
                    executor.abortTransaction();
                }

                // When an intent over its agent's authority is escalated, and nobody answers
                AgentIntent intent = AgentIntent.newBuilder().setIntentId("po-1").setAgentId("buyer").setAction("purchase-order.create")
                        .setTarget("erp").setCostMicros(1_000).setCommitmentMicros(5_000).setConfidence(0.9).build();
                try (KafkaProducer<byte[], byte[]> agent = KafkaTestClients.producer(broker.bootstrapServers())) {
                    agent.send(IntentRecords.of(topics, intent)).get();
                }

                // Then it expires once its deadline has passed
                List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                        topics.decisions().stream().map(t -> t.name()).toList(), 2, Duration.ofSeconds(60));
                List<String> decisions = records.stream()
                        .map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                        .map(AbortedAnswersIT::describe).toList();
                assertThat(decisions).containsExactly("po-1 ESCALATE", "po-1 REJECT ESCALATION_EXPIRED");
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static String describe(Decision decision) {
        return decision.getIntentId() + " " + decision.getOutcome()
                + (decision.getOutcome() == DecisionOutcome.ESCALATE ? "" : " " + decision.getReasons().get(0).getCode());
    }
}
