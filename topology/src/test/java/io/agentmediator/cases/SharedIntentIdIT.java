package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.placement.KeyPartitioning;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents in different partitions send intents with the same id, both escalated: each partition remembers only its
 * own ids, so both are decided, and the id's owner is the agent decided last. An approval that names its agent reaches
 * that agent's escalation, whichever agent owns the id; it once went to the last one's.
 */
@Tag("slow")
class SharedIntentIdIT {

    private static final String SCOPE = "shared-intent-id-it";
    private static final KeyPartitioning THREE = new KeyPartitioning(3);
    private static final String POLICY = """
            version: "shared-id-1"
            tiers: [MANAGER]
            agents:
              - { id: %s, capabilities: { actions: ["*"], targets: ["*"] }, authority: { maxCommitmentMicros: 1000 } }
              - { id: %s, capabilities: { actions: ["*"], targets: ["*"] }, authority: { maxCommitmentMicros: 1000 } }
            approvers:
              - { id: boss, tier: MANAGER }
            # Unsigned approvals count: what is tested here is which case they reach, not who sent them.
            signatures: { approvals: OPTIONAL }
            """;

    @TempDir Path dir;

    @Test
    void shouldApplyAnApprovalNamingItsAgentToThatAgentsEscalationThoughAnotherAgentDecidedTheIdLast() throws Exception {
        String first = agentOn(0);
        String last = agentOn(1);
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY.formatted(first, last));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.TOPIC_PARTITIONS, "3")
                    .with(ConfigKeys.POLICY_FILE, policy.toString())
                    .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                    .with(ConfigKeys.HTTP_PORT, "0");
            try (MediatorApp app = MediatorApp.start(config, new HealthState());
                    KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                app.awaitRunning(Duration.ofSeconds(60));
                Topics topics = app.topics();

                // Given both agents' intents "shared-1" escalated, the first agent's decided first
                producer.send(IntentRecords.intent(topics, "shared-1", first, "po.create", "erp", 0, 5_000, Instant.now())).get();
                assertThat(escalations(broker, topics, 1)).extracting(Decision::getAgentId).containsExactly(first);
                producer.send(IntentRecords.intent(topics, "shared-1", last, "po.create", "erp", 0, 5_000, Instant.now())).get();
                assertThat(escalations(broker, topics, 2)).extracting(Decision::getAgentId).containsExactlyInAnyOrder(first, last);

                // When the approver approves the first agent's, naming it
                byte[] approval = topics.approvalSerde().serializer().serialize(topics.approvals().name(),
                        new Approval("shared-1", "boss", ApprovalDecision.APPROVE, null, first, null));
                producer.send(new ProducerRecord<>(topics.approvals().name(), "shared-1".getBytes(StandardCharsets.UTF_8), approval)).get();

                // Then the first agent's intent is executed, approved by the approver, and the other's stays open
                List<ConsumerRecord<byte[], byte[]>> executed = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                        List.of(topics.execute().name()), 1, Duration.ofSeconds(30));
                assertThat(executed).hasSize(1);
                Decision approved = topics.execute().valueSerde().deserializer().deserialize(topics.execute().name(), executed.get(0).value());
                assertThat(approved.getAgentId()).isEqualTo(first);
                assertThat(approved.getReasons().get(0).getCode()).isEqualTo(ReasonCode.APPROVED);
                assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topics.reject().name()), 1,
                        Duration.ofSeconds(3))).isEmpty();
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static List<Decision> escalations(EmbeddedKafkaBroker broker, Topics topics, int count) {
        return KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topics.escalate().name()), count, Duration.ofSeconds(60))
                .stream()
                .map(record -> topics.escalate().valueSerde().deserializer().deserialize(topics.escalate().name(), record.value()))
                .filter(decision -> decision.getOutcome() == DecisionOutcome.ESCALATE)
                .toList();
    }

    private static String agentOn(int partition) {
        return Stream.iterate(0, i -> i + 1).map(i -> "sharing-agent-" + i)
                .filter(id -> THREE.partitionOf(id.getBytes(StandardCharsets.UTF_8)) == partition)
                .findFirst().orElseThrow();
    }
}
