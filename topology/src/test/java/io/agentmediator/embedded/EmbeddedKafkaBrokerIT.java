package io.agentmediator.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.agentmediator.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EmbeddedKafkaBrokerIT {

    private static final String TOPIC = "transactions-it";
    private static final int PARTITIONS = 3;

    @Test
    void shouldDeliverOnlyCommittedTransactionsToReadCommittedConsumers() throws Exception {
        // Given a started broker and a topic with three partitions
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(PARTITIONS), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
            TopicDescription topic = TopicProvisioner.awaitVisible(admin, List.of(TOPIC)).get(TOPIC);
            assertThat(topic.partitions()).hasSize(PARTITIONS);

            // When a transactional producer commits one transaction, aborts a second and commits a third
            try (KafkaProducer<String, String> producer = transactionalProducer(broker)) {
                producer.initTransactions();
                sendInTransaction(producer, "committed-1");
                producer.beginTransaction();
                sendToEveryPartition(producer, "aborted");
                producer.flush();
                producer.abortTransaction();
                sendInTransaction(producer, "committed-2");
            }

            // Then a read_committed consumer receives the committed records only
            List<String> expected = new ArrayList<>();
            for (String prefix : List.of("committed-1", "committed-2")) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    expected.add(prefix + "-" + partition);
                }
            }
            List<String> received = consumeReadCommitted(broker, expected.size(), Duration.ofSeconds(30));
            assertThat(received)
                    .containsExactlyInAnyOrderElementsOf(expected)
                    .noneMatch(value -> value.startsWith("aborted"));
        }
    }

    @Test
    void shouldDeleteItsTemporaryDataDirectoryOnClose() {
        // Given a broker started with defaults
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        Path dataDir = broker.dataDir();
        assertThat(dataDir).isDirectory();
        assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");

        // When it is closed (twice: close is idempotent)
        broker.close();
        broker.close();

        // Then its temporary directory is gone
        assertThat(Files.exists(dataDir)).isFalse();
    }

    @Test
    void shouldKeepAGivenDataDirectoryAndItsTopicsAcrossRestarts(@TempDir Path dir) throws Exception {
        // Given a broker on a given data directory, with a topic created before it is closed
        Path dataDir = dir.resolve("kafka");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).numPartitions(2).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("kept", Optional.empty(), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
        }
        assertThat(dataDir).isDirectory();

        // When a broker is started again on the same directory
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dataDir).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {

            // Then the topic is still there, with the configured default partition count
            TopicDescription kept = admin.describeTopics(List.of("kept")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get("kept");
            assertThat(kept.partitions()).hasSize(2);
        }
    }

    @Test
    void shouldRejectOverridingTheSettingsItManages() {
        // Given a builder / When a managed setting is overridden / Then it is refused up front
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().brokerProperty("listeners", "PLAINTEXT://:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
    }

    private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-broker-it-" + UUID.randomUUID(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String prefix) {
        producer.beginTransaction();
        sendToEveryPartition(producer, prefix);
        producer.commitTransaction();
    }

    private static void sendToEveryPartition(KafkaProducer<String, String> producer, String prefix) {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            producer.send(new ProducerRecord<>(TOPIC, partition, "key-" + partition, prefix + "-" + partition));
        }
    }

    /**
     * Polls until {@code expectedCount} records arrived, then once more: the last committed transaction
     * follows the aborted one in every partition, so aborted records, if delivered, would have come first.
     */
    private static List<String> consumeReadCommitted(EmbeddedKafkaBroker broker, int expectedCount, Duration timeout) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "embedded-broker-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (values.size() < expectedCount && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                values.add(record.value());
            }
        }
        return values;
    }
}
