package io.agentmediator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Watches output topics as a downstream consumer does, {@code read_committed}: a record counts
 * only once the transaction that wrote it has committed. Assigned every partition (no group, so
 * nothing to join), from the start or from the current end.
 */
final class CommittedReader implements AutoCloseable {

    private static final Duration METADATA_WAIT = Duration.ofSeconds(30);

    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private long seen;

    CommittedReader(Map<String, Object> clientSettings, List<String> topics, boolean fromEnd) {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            partitionsOf(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        if (fromEnd) {
            consumer.seekToEnd(partitions);
        } else {
            consumer.seekToBeginning(partitions);
        }
        // Resolve the positions now, so a record committed from here on is never missed.
        partitions.forEach(consumer::position);
    }

    /**
     * A topic created a moment ago may not be in this client's metadata yet, and then has no partitions
     * here: ask again until it shows, rather than assign nothing and read nothing.
     */
    private List<PartitionInfo> partitionsOf(String topic) {
        long giveUpAt = System.nanoTime() + METADATA_WAIT.toNanos();
        List<PartitionInfo> partitions = consumer.partitionsFor(topic);
        while (partitions.isEmpty() && System.nanoTime() - giveUpAt < 0) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            partitions = consumer.partitionsFor(topic);
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions after " + METADATA_WAIT + ": was it created?");
        }
        return partitions;
    }

    /**
     * Reads what became visible since the last call, for about one poll interval.
     *
     * @param onRecord given each record's timestamp, with the wall clock of when it was seen
     * @return the records seen in all, so far
     */
    long poll(TimestampSink onRecord) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        long now = System.currentTimeMillis();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            onRecord.seen(record.timestamp(), now);
            seen++;
        }
        return seen;
    }

    /** Reads what became visible since the last call, counting only. */
    long poll() {
        return poll((timestamp, at) -> { });
    }

    long seen() {
        return seen;
    }

    @Override
    public void close() {
        consumer.close();
    }

    /** Told of each record read: its timestamp, and when it was read (both epoch milliseconds). */
    @FunctionalInterface
    interface TimestampSink {
        void seen(long recordTimestamp, long seenAt);
    }
}
