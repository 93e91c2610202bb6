package io.agentmediator.catchup;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Input partitions whose tail, from where the consumer group has read to their end, holds nothing for it to read: only
 * records of aborted transactions and transaction markers, which a read_committed reader skips.
 *
 * <p>Kafka Streams commits an offset only on a partition it processed a record of since its task started. A partition
 * whose newest records are aborted (an executor's or agent's transactional producer aborted its batch; the mediator's own
 * transaction cut short by a crash, on a partition the retried one writes nothing to) keeps a commit short of its end
 * until a committed record lands there: counted unread, it held the read horizon, and every deadline, for as long. So a
 * partition whose read offset has not moved since the last poll while short of its end is read once, from that offset,
 * as the mediator reads it; if the reader's position reaches the end without a record, the group has nothing left there,
 * and that tail is not read again while it stays as it is. Partitions the group is reading are not looked at, so a
 * backlog costs no second read.
 */
final class UnreadableTails implements AutoCloseable {

    /** How long one look may take, within the poll it is part of. */
    private static final Duration LOOK = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> reader;
    private Map<TopicPartition, Long> lastRead = Map.of();
    /** The tails found empty, each read once: one that stays as it was (a quiet partition, for days) is not read again. */
    private Map<TopicPartition, Tail> empty = Map.of();

    UnreadableTails(Map<String, Object> clientSettings) {
        this(new KafkaConsumer<>(readerSettings(clientSettings), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    private static Map<String, Object> readerSettings(Map<String, Object> clientSettings) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Whether there is one record matters, not what it says.
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024);
        return settings;
    }

    /** Over {@code reader}, a read_committed consumer in no group that this owns. */
    UnreadableTails(Consumer<byte[], byte[]> reader) {
        this.reader = reader;
    }

    /**
     * {@code read} (each input's offset read up to), with each partition that has stood still short of its end since the
     * last call and holds nothing to read up to it counted read to its end ({@code ends}).
     */
    Map<TopicPartition, Long> skipped(Map<TopicPartition, Long> read, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> stalled = new HashMap<>();
        read.forEach((partition, offset) -> {
            if (offset < ends.getOrDefault(partition, offset) && offset.equals(lastRead.get(partition))) {
                stalled.put(partition, offset);
            }
        });
        lastRead = Map.copyOf(read);
        Map<TopicPartition, Tail> emptyNow = new HashMap<>();
        Map<TopicPartition, Long> unknown = new HashMap<>();
        stalled.forEach((partition, offset) -> {
            Tail tail = new Tail(offset, ends.get(partition));
            if (tail.equals(empty.get(partition))) {
                emptyNow.put(partition, tail);
            } else {
                unknown.put(partition, offset);
            }
        });
        if (!unknown.isEmpty()) {
            nothingToRead(unknown, ends).forEach(partition -> emptyNow.put(partition, new Tail(unknown.get(partition), ends.get(partition))));
        }
        empty = Map.copyOf(emptyNow);
        if (emptyNow.isEmpty()) {
            return read;
        }
        Map<TopicPartition, Long> counted = new HashMap<>(read);
        emptyNow.forEach((partition, tail) -> counted.put(partition, tail.to()));
        return counted;
    }

    /** A partition's records from offset {@code from} to its end {@code to}. */
    private record Tail(long from, long to) {}

    /** Of the partitions read from {@code from}, those the reader passes the end of without getting a record. */
    private Set<TopicPartition> nothingToRead(Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends) {
        reader.assign(from.keySet());
        from.forEach(reader::seek);
        Set<TopicPartition> undecided = new HashSet<>(from.keySet());
        Set<TopicPartition> passed = new HashSet<>();
        long giveUpAt = System.nanoTime() + LOOK.toNanos();
        while (!undecided.isEmpty() && System.nanoTime() - giveUpAt < 0) {
            ConsumerRecords<byte[], byte[]> records = reader.poll(Duration.ofMillis(50));
            records.partitions().forEach(undecided::remove);
            for (TopicPartition partition : Set.copyOf(undecided)) {
                if (reader.position(partition, LOOK) >= ends.get(partition)) {
                    undecided.remove(partition);
                    passed.add(partition);
                }
            }
        }
        reader.assign(Set.of());
        return passed;
    }

    @Override
    public void close() {
        reader.close();
    }
}
