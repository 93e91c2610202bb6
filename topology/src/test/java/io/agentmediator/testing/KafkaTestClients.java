package io.agentmediator.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain producers and read_committed consumers for integration tests against a real broker. */
public final class KafkaTestClients {

    private KafkaTestClients() {}

    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return producer(bootstrapServers, Map.of());
    }

    /** A producer with {@code overrides} on top, for a client whose settings are not the Java client's defaults. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putAll(overrides);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends every record and waits until the broker has acknowledged them all. */
    public static void sendAll(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            sent.add(producer.send(record));
        }
        for (Future<RecordMetadata> each : sent) {
            each.get();
        }
    }

    /**
     * Reads the topics from the beginning with isolation read_committed, the way executors read,
     * until {@code expected} records arrived or the timeout passed; returns what arrived.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String bootstrapServers, List<String> topics, int expected, Duration timeout) {
        return readCommittedUntil(bootstrapServers, topics, records -> records.size() >= expected, timeout);
    }

    /**
     * Reads the topics from the beginning with isolation read_committed until {@code done} holds for
     * the records arrived so far (asked after every poll) or the timeout passed; returns what arrived.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommittedUntil(
            String bootstrapServers, List<String> topics, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(topics);
            long giveUpAt = System.nanoTime() + timeout.toNanos();
            while (!done.test(records) && System.nanoTime() - giveUpAt < 0) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // One more short poll, so a test that expects N also sees an unexpected N+1st.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    public static Map<String, Object> adminConfig(String bootstrapServers) {
        return Map.of("bootstrap.servers", bootstrapServers);
    }
}
