package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.embedded.EmbeddedSchemaRegistry;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of escalations due at the same instant (bookings of one slot that ends then, so their deadline is its end),
 * on the real broker, the shipped jar as its own process with a check interval of {@link #CHECK_INTERVAL}: every one is
 * rejected ESCALATION_EXPIRED, in bounded passes (several decision times) that follow each other within the check's own
 * interval. One pass deciding them all held the stream thread for seconds; passes a check interval apart would take
 * {@code BURST / DECISIONS_PER_PASS} intervals.
 */
@Tag("slow")
class ExpiryBurstIT {

    private static final int BURST = 3 * PacedCheck.DECISIONS_PER_PASS + PacedCheck.DECISIONS_PER_PASS / 2;
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(20);
    private static final String POLICY = """
            version: "expiry-burst-1"
            defaults: { escalationTimeout: PT4H }
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
            """;

    @TempDir Path dir;

    @Test
    void shouldExpireEveryEscalationOfABurstInBoundedPassesWithinOneCheckInterval() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Contracts.trustGeneratedClasses();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(1).start();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0)) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.url(), Map.of()));
            Map<String, String> settings = Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "application.id", "expiry-burst-it",
                    "schema.registry.url", registry.url(),
                    "policy.file", policy.toString(),
                    "state.dir", dir.resolve("state").toString(),
                    "instance.id", "mediator-0",
                    "escalation.check.interval", CHECK_INTERVAL.toString());
            AvroSerde<AgentIntent> intents = new AvroSerde<>(AgentIntent.class);
            intents.configure(Map.of("schema.registry.url", registry.url()), false);

            try (MediatorProcess mediator = MediatorProcess.start(dir, "expiry-burst", settings, "-Xmx512m");
                    KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                // Given escalations whose intents all expire at one instant, soon after they are sent
                Instant expiresAt = Instant.now().plusSeconds(15).truncatedTo(ChronoUnit.MILLIS);
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < BURST; i++) {
                    AgentIntent intent = AgentIntent.newBuilder().setIntentId("slot-" + i).setAgentId("buyer").setAction("room.book")
                            .setTarget("calendar").setCostMicros(1_000).setCommitmentMicros(5_000).setConfidence(0.9)
                            .setExpiresAt(expiresAt).build();
                    sent.add(producer.send(new ProducerRecord<>(topics.intents().name(), bytes("buyer"),
                            intents.serializer().serialize(topics.intents().name(), intent))));
                }
                for (Future<RecordMetadata> each : sent) {
                    each.get();
                }

                // When their deadline passes, then every one is rejected by the checks after it
                List<Decision> decisions = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                                topics.decisions().stream().map(t -> t.name()).toList(), 2 * BURST, Duration.ofSeconds(120)).stream()
                        .map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
                assertThat(decisions).filteredOn(d -> d.getOutcome() == DecisionOutcome.ESCALATE).hasSize(BURST)
                        .allSatisfy(d -> assertThat(d.getDeadline()).isEqualTo(expiresAt));
                List<Decision> expired = decisions.stream().filter(d -> d.getOutcome() == DecisionOutcome.REJECT).toList();
                assertThat(expired).hasSize(BURST).extracting(Decision::getIntentId).doesNotHaveDuplicates();
                assertThat(expired).allSatisfy(d -> assertThat(d.getReasons().get(0).getCode()).isEqualTo(ReasonCode.ESCALATION_EXPIRED));

                // in bounded passes, which came one after another, not a check interval apart
                List<Instant> passes = expired.stream().map(Decision::getDecidedAt).distinct().sorted().toList();
                assertThat(passes).as("one decision time a pass").hasSizeGreaterThanOrEqualTo(BURST / PacedCheck.DECISIONS_PER_PASS + 1);
                assertThat(Duration.between(passes.get(0), passes.get(passes.size() - 1))).isLessThan(CHECK_INTERVAL);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
