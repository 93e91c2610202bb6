package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An approver answers while the mediator is down, before the escalation's deadline; the mediator comes back after the
 * deadline with a backlog of other agents' intents to read before the approval. The shipped jar as its own process,
 * killed with SIGKILL and started again on the same state directory, checking deadlines every second: the approval
 * counts, and the escalation nobody answered expires once the backlog is read. Before the checks waited for the
 * backlog, the first check after the start, a second in, rejected both ESCALATION_EXPIRED while the approval was
 * still unread.
 */
@Tag("slow")
class ApprovalAfterOutageIT {

    /** Intents of another agent sent while the mediator is down: several seconds of reading before the approval. */
    private static final int BACKLOG = 20_000;
    private static final String POLICY = """
            version: "approval-after-outage-1"
            defaults: { escalationTimeout: PT40S }
            tiers: [MANAGER]
            agents:
              - id: buyer
                department: procurement
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
              - id: worker
                capabilities: { actions: ["*"], targets: ["*"] }
            approvers:
              - { id: proc-manager, tier: MANAGER, departments: [procurement], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("proc-manager"));

    @TempDir Path dir;

    @Test
    void shouldApplyAnApprovalGivenWhileTheMediatorWasDownThoughItIsReadAfterTheDeadline() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Contracts.trustGeneratedClasses();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(1).start();
                ApicurioRegistry registry = ApicurioRegistry.start()) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of()));
            Map<String, String> settings = Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "application.id", "approval-after-outage-it",
                    "schema.registry.url", registry.ccompatUrl(),
                    "policy.file", policy.toString(),
                    "state.dir", dir.resolve("state").toString(),
                    "instance.id", "mediator-0",
                    "escalation.check.interval", "PT1S");
            AvroSerde<AgentIntent> intents = serde(AgentIntent.class, registry);
            AvroSerde<Approval> approvals = serde(Approval.class, registry);

            // Given two escalations, decided
            Instant deadline;
            try (MediatorProcess mediator = MediatorProcess.start(dir, "outage-before", settings, "-Xmx512m");
                    KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                send(producer, topics, intents, escalation("i-1"), escalation("i-2"));
                List<Decision> escalated = decisions(broker, topics, 2);
                assertThat(escalated).extracting(d -> d.getIntentId() + " " + d.getOutcome()).containsExactly("i-1 ESCALATE", "i-2 ESCALATE");
                deadline = escalated.get(0).getDeadline();

                // When the mediator is killed, another agent's intents pile up, and i-1 is approved before its deadline
                mediator.kill();
                List<AgentIntent> backlog = new ArrayList<>();
                for (int n = 0; n < BACKLOG; n++) {
                    backlog.add(routine("w-" + n));
                }
                send(producer, topics, intents, backlog.toArray(AgentIntent[]::new));
                byte[] approval = approvals.serializer().serialize(topics.approvals().name(),
                        new Approval("i-1", "proc-manager", ApprovalDecision.APPROVE, "in time", null, null));
                long approvedAt = producer.send(new ProducerRecord<>(topics.approvals().name(), null, null, bytes("i-1"), approval,
                        TestKeys.signedBy("proc-manager", approval))).get().timestamp();
                assertThat(Instant.ofEpochMilli(approvedAt)).as("approved before the deadline").isBefore(deadline);
            }

            // and the mediator starts again only after the deadline
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), deadline.plusSeconds(3)).toMillis()));
            try (MediatorProcess mediator = MediatorProcess.start(dir, "outage-after", settings, "-Xmx512m")) {
                // Then the approval counts, and i-2, which nobody answered, expires
                List<Decision> all = decisions(broker, topics, 2 + BACKLOG + 2);
                assertThat(all.stream().filter(d -> d.getIntentId().startsWith("i-")).map(ApprovalAfterOutageIT::describe))
                        .containsExactlyInAnyOrder("i-1 ESCALATE", "i-2 ESCALATE", "i-1 EXECUTE APPROVED", "i-2 REJECT ESCALATION_EXPIRED");
            }
        }
    }

    private static String describe(Decision decision) {
        List<ReasonCode> codes = decision.getReasons().stream().map(r -> r.getCode()).toList();
        return decision.getIntentId() + " " + decision.getOutcome() + (decision.getOutcome() == DecisionOutcome.ESCALATE ? "" : " " + codes.get(0));
    }

    private static AgentIntent escalation(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("buyer").setAction("purchase-order.create").setTarget("erp")
                .setCostMicros(1_000).setCommitmentMicros(5_000).setConfidence(0.9).build();
    }

    private static AgentIntent routine(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("worker").setAction("report.generate").setTarget("llm")
                .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.9).build();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, AvroSerde<AgentIntent> serde, AgentIntent... intents)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (AgentIntent intent : intents) {
            sent.add(producer.send(new ProducerRecord<>(topics.intents().name(), bytes(intent.getAgentId()),
                    serde.serializer().serialize(topics.intents().name(), intent))));
        }
        for (Future<RecordMetadata> each : sent) {
            each.get();
        }
    }

    private static List<Decision> decisions(EmbeddedKafkaBroker broker, Topics topics, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                topics.decisions().stream().map(t -> t.name()).toList(), expected, Duration.ofSeconds(180));
        assertThat(records).as("decisions").hasSize(expected);
        return records.stream().map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    private static <T extends SpecificRecord> AvroSerde<T> serde(Class<T> type, ApicurioRegistry registry) {
        AvroSerde<T> serde = new AvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
        return serde;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
