package io.agentmediator.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.placement.KeyPartitioning;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of last month (intents under the CreateTime escape hatch) stopped with records in transit between the
 * mediator's tasks: on the real broker, checking retention every second, they wait unread, carrying their intents' month-old
 * times, and are decided when the mediator is back; once read they are deleted. Before, the topics in transit were created
 * with Kafka's default retention of 7 days, and the broker deleted every rolled segment of them at its next check: the
 * intents there were never decided.
 */
@Tag("slow")
class RecordsInTransitIT {

    private static final String SCOPE = "in-transit-it";
    private static final int PARTITIONS = 2;
    private static final int IN_TRANSIT = 12;
    private static final String AGENT = "finance-analyst";

    @TempDir Path dir;

    @Test
    void shouldKeepRecordsInTransitStampedLastMonthUntilReadThenDecideAndDeleteThem() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(PARTITIONS)
                        .brokerProperty("log.retention.check.interval.ms", 1000).start();
                Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.TOPIC_PARTITIONS, String.valueOf(PARTITIONS))
                    .with(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE, "CreateTime")
                    .with(ConfigKeys.TOPIC_INTERNAL_PURGE_INTERVAL, "PT1S")
                    .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                    .with(ConfigKeys.HTTP_PORT, "0");
            Topics topics;
            try (MediatorApp first = MediatorApp.start(config, new HealthState())) {
                first.awaitRunning(Duration.ofSeconds(60));
                topics = first.topics();
            }

            // Given intents of last month that an earlier run moved to their agent's partition and stopped before deciding
            String placed = topics.intentsPlaced().name();
            int partition = KeyPartitioning.partitionOf(AGENT.getBytes(StandardCharsets.UTF_8), PARTITIONS);
            Instant lastMonth = Instant.now().minus(30, ChronoUnit.DAYS);
            List<String> ids = IntStream.range(0, IN_TRANSIT).mapToObj(n -> "replayed-" + n).toList();
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                for (int n = 0; n < IN_TRANSIT; n++) {
                    ProducerRecord<byte[], byte[]> intent = IntentRecords.intent(
                            topics, ids.get(n), AGENT, "invoice.create", "erp", 250_000, 0, lastMonth.plusSeconds(n));
                    // One at a time: each append finds a segment begun further back than segment.ms, and rolls it.
                    producer.send(new ProducerRecord<>(placed, partition, intent.timestamp(), intent.key(), intent.value())).get();
                }
            }

            // When the broker has checked retention since: a topic of Kafka's defaults, given records as old, lost them
            awaitRetentionChecked(broker.bootstrapServers(), admin, lastMonth);

            // Then nothing of the topic in transit was deleted
            TopicPartition inTransit = new TopicPartition(placed, partition);
            assertThat(earliest(admin, inTransit)).isZero();

            // And once the mediator is back, every one of those intents is decided: its case file is in the audit trail
            try (MediatorApp second = MediatorApp.start(config, new HealthState())) {
                second.awaitRunning(Duration.ofSeconds(60));
                Set<String> audited = KafkaTestClients.readCommittedUntil(broker.bootstrapServers(), List.of(topics.audit().name()),
                                records -> records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8))
                                        .collect(Collectors.toSet()).containsAll(ids), Duration.ofSeconds(60))
                        .stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
                assertThat(audited).containsAll(ids);

                // And what was read is deleted: the partition starts where the group has read to
                long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (earliest(admin, inTransit) < IN_TRANSIT && System.nanoTime() - giveUpAt < 0) {
                    Thread.sleep(200);
                }
                assertThat(earliest(admin, inTransit)).isEqualTo(IN_TRANSIT);
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    /**
     * Waits until the broker's retention check has run over records stamped {@code at}: a topic of Kafka's defaults (7
     * days) given two such records, one append each, loses the rolled first one at the check.
     */
    private static void awaitRetentionChecked(String bootstrapServers, Admin admin, Instant at) throws Exception {
        String witness = "retention-witness";
        admin.createTopics(List.of(new NewTopic(witness, 1, (short) 1))).all().get();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrapServers)) {
            for (int n = 0; n < 2; n++) {
                producer.send(new ProducerRecord<>(witness, 0, at.toEpochMilli(), null, new byte[] {(byte) n})).get();
            }
        }
        TopicPartition partition = new TopicPartition(witness, 0);
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (earliest(admin, partition) == 0 && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(200);
        }
        assertThat(earliest(admin, partition)).as("the broker checked retention").isPositive();
    }

    private static long earliest(Admin admin, TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).partitionResult(partition).get().offset();
    }
}
