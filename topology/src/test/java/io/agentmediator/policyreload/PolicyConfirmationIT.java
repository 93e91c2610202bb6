package io.agentmediator.policyreload;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code policy publish} takes for its document's acceptance, on the real broker: what the mediator writes to the
 * accepted policies topic, written here as it would. Review (session 40): it matched on the version alone, so another
 * document of the version accepted during the wait (the same file edited and sent again while no mediator ran) was
 * reported in force while this one was refused; and a record it could not decode ended the command after it had sent.
 */
@Tag("slow")
class PolicyConfirmationIT {

    private static EmbeddedKafkaBroker broker;
    private static MediatorConfig config;
    private static String topic;

    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        config = MediatorConfig.layered(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "schema.registry.url", "mock://policy-confirmation-it"), Map.of(), Map.of());
        topic = Topics.of(config).policiesAccepted().name();
        try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void anotherDocumentOfTheVersionAcceptedMeanwhileIsNotThisOnesAcceptance() throws Exception {
        Policy first = policy("v7", "agent-a");
        Policy edited = policy("v7", "agent-b");
        try (PolicyConfirmation watching = PolicyConfirmation.watch(config)) {
            accept("default", serialized(PolicyCodec.toAvro(first)));

            assertThat(watching.accepted("default", edited, Duration.ofSeconds(3))).isFalse();
        }
    }

    @Test
    void aRecordItCannotReadIsSteppedOverAndTheDocumentBehindItFound() throws Exception {
        Policy published = policy("v8", "agent-a");
        try (PolicyConfirmation watching = PolicyConfirmation.watch(config)) {
            accept("default", "not avro".getBytes(StandardCharsets.UTF_8));
            accept("other", serialized(PolicyCodec.toAvro(published)));
            accept("default", serialized(PolicyCodec.toAvro(published)));

            assertThat(watching.accepted("default", published, Duration.ofSeconds(30))).isTrue();
        }
    }

    @Test
    void theDocumentAcceptedUnderAnotherPolicyIdIsNotThisOnes() throws Exception {
        Policy published = policy("v9", "agent-a");
        try (PolicyConfirmation watching = PolicyConfirmation.watch(config)) {
            accept("billing", serialized(PolicyCodec.toAvro(published)));

            assertThat(watching.accepted("default", published, Duration.ofSeconds(3))).isFalse();
        }
    }

    private static Policy policy(String version, String agent) throws Exception {
        Path file = Files.writeString(dir.resolve(version + "-" + agent + ".yaml"), """
                version: "%s"
                agents:
                  - id: %s
                    capabilities: { actions: ["*"], targets: ["*"] }
                """.formatted(version, agent));
        return PolicySource.load(file).policy();
    }

    private static byte[] serialized(PolicyDocument document) {
        return Topics.of(config).policiesAccepted().valueSerde().serializer().serialize(topic, document);
    }

    private static void accept(String policyId, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, policyId.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }
}
