package io.agentmediator.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real broker, under exactly-once: a mediator that may only look schemas up, on a registry where a staging run
 * registered what executing an intent writes and nothing an escalation writes. The first escalation used to be
 * dead-lettered while its id, reservation and open escalation were kept, so once the subjects were registered the
 * intent sent again was a DUPLICATE. Now nothing of it is kept: its thread stops, and once the subjects exist the same
 * record is decided, once.
 */
@Tag("slow")
class OwnSchemaRefusedIT {

    private static final String SCOPE = "own-schema-refused-it";

    @TempDir Path dir;

    @Test
    void anEscalationWhoseSubjectsAreMissingIsDecidedOnceTheyExistNotDeadLettered() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    ConfigKeys.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers(),
                    ConfigKeys.SCHEMA_REGISTRY_URL.name(), "mock://" + SCOPE,
                    ConfigKeys.APPLICATION_ID.name(), SCOPE,
                    ConfigKeys.STATE_DIR.name(), Files.createDirectories(dir.resolve("state")).toString(),
                    ConfigKeys.HTTP_PORT.name(), "0"));
            Topics topics;
            // Given a staging run that executed an intent, registering what that writes
            try (MediatorApp staging = MediatorApp.start(MediatorConfig.layered(Map.of(), Map.of(), settings), new HealthState())) {
                staging.awaitRunning(Duration.ofSeconds(60));
                topics = staging.topics();
                send(broker, topics, IntentRecords.intent(topics, "staged-1", "finance-analyst", "invoice.create", "erp", 1_000, 0, Instant.now()));
                assertThat(decisions(broker, topics, 1)).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.EXECUTE);
            }

            // When the mediator, now allowed only to look schemas up, escalates an intent
            settings.put("auto.register.schemas", "false");
            try (MediatorApp readOnly = MediatorApp.start(MediatorConfig.layered(Map.of(), Map.of(), settings), new HealthState())) {
                readOnly.awaitRunning(Duration.ofSeconds(60));
                send(broker, topics, IntentRecords.intent(topics, "unsure-1", "finance-analyst", "invoice.create", "erp", 1_000, 0, 0.1,
                        Instant.now()));

                // Then its thread stops on the missing subject (and its replacement again), deciding and dead-lettering nothing
                assertThat(decisions(broker, topics, 2)).hasSize(1);
                assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topics.intentsDlq().name()), 1,
                        Duration.ofSeconds(3))).isEmpty();
            }

            // And once the subjects are registered (here: by a run allowed to), the same record is escalated, not a DUPLICATE
            settings.put("auto.register.schemas", "true");
            try (MediatorApp registering = MediatorApp.start(MediatorConfig.layered(Map.of(), Map.of(), settings), new HealthState())) {
                registering.awaitRunning(Duration.ofSeconds(60));
                List<Decision> decided = decisions(broker, topics, 2);
                assertThat(decided).extracting(Decision::getIntentId).containsExactly("staged-1", "unsure-1");
                assertThat(decided.get(1).getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
                assertThat(decisions(broker, topics, 3)).hasSize(2);
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static void send(EmbeddedKafkaBroker broker, Topics topics, org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> intent)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            producer.send(intent).get();
        }
    }

    /** The committed decisions of every kind, waiting up to 20 s for {@code expected} of them. */
    private static List<Decision> decisions(EmbeddedKafkaBroker broker, Topics topics, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                topics.decisions().stream().map(topic -> topic.name()).toList(), expected, Duration.ofSeconds(20));
        return records.stream().map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .sorted(java.util.Comparator.comparing(Decision::getDecidedAt)).toList();
    }
}
