package io.agentmediator.catchup;

import io.agentmediator.config.GrouplessConsumer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
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
 * partition whose read offset has not moved since the last poll while short of its end is read from that offset, as
 * the mediator reads it; if the reader's position reaches the end without a record, the group has nothing left there.
 * What a look found is kept while the group's offset stays: a tail is read once, a long one a piece a poll, and a
 * partition found to hold a record is not read again until the group moves. Partitions the group is reading are not
 * looked at, so a backlog costs no second read.
 */
final class UnreadableTails implements AutoCloseable {

    /** How long one look may take, within the poll it is part of: a longer tail is read on at the next poll. */
    private static final Duration LOOK = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> reader;
    private Map<TopicPartition, Long> lastRead = Map.of();
    /** What was found past each stalled partition's read offset. */
    private Map<TopicPartition, Scan> scans = Map.of();

    UnreadableTails(Map<String, Object> clientSettings) {
        this(new KafkaConsumer<>(readerSettings(clientSettings), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    /** Over {@code reader}, a read_committed consumer in no group that this owns. */
    UnreadableTails(Consumer<byte[], byte[]> reader) {
        this.reader = reader;
    }

    /** The operator's client settings for a reader in no group: what joins a group (Kafka Streams' group.protocol=streams, which a plain consumer refuses) left out. */
    private static Map<String, Object> readerSettings(Map<String, Object> clientSettings) {
        Map<String, Object> settings = GrouplessConsumer.settings(clientSettings);
        // Deleted below where it reads (retention, or the purge of what the group read since): said, not skipped to the end.
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // Whether there is one record matters, not what it says.
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024);
        return settings;
    }

    /**
     * {@code read} (each input's offset read up to), with each partition that has stood still short of its end since the
     * last call and holds nothing to read up to it counted read to its end ({@code ends}).
     */
    Map<TopicPartition, Long> skipped(Map<TopicPartition, Long> read, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Scan> stalled = new HashMap<>();
        read.forEach((partition, offset) -> {
            if (offset < ends.getOrDefault(partition, offset) && offset.equals(lastRead.get(partition))) {
                Scan known = scans.get(partition);
                stalled.put(partition, known != null && known.from() == offset ? known : new Scan(offset, offset, false));
            }
        });
        lastRead = Map.copyOf(read);
        Map<TopicPartition, Long> toRead = new HashMap<>();
        stalled.forEach((partition, scan) -> {
            if (!scan.recordFound() && scan.to() < ends.get(partition)) {
                toRead.put(partition, scan.to());
            }
        });
        if (!toRead.isEmpty()) {
            Map<TopicPartition, Reached> looked = look(toRead, ends);
            for (TopicPartition partition : toRead.keySet()) {
                Reached reached = looked.get(partition);
                if (reached == null) {
                    stalled.remove(partition);
                } else {
                    stalled.put(partition, stalled.get(partition).then(reached));
                }
            }
        }
        scans = Map.copyOf(stalled);
        Map<TopicPartition, Long> counted = new HashMap<>(read);
        stalled.forEach((partition, scan) -> {
            if (!scan.recordFound() && scan.to() >= ends.get(partition)) {
                counted.put(partition, ends.get(partition));
            }
        });
        return counted;
    }

    /**
     * Reads each partition from its offset in {@code from} towards its end for at most {@link #LOOK}: how far each got with
     * nothing to read, or where it found a record. A partition deleted below its offset meanwhile is left out: unknown, so
     * unread.
     */
    private Map<TopicPartition, Reached> look(Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends) {
        reader.assign(from.keySet());
        from.forEach(reader::seek);
        Map<TopicPartition, Reached> found = new HashMap<>();
        Set<TopicPartition> reading = new HashSet<>(from.keySet());
        long giveUpAt = System.nanoTime() + LOOK.toNanos();
        try {
            while (!reading.isEmpty() && System.nanoTime() - giveUpAt < 0) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = reader.poll(Duration.ofMillis(50));
                } catch (OffsetOutOfRangeException e) {
                    reading.removeAll(e.offsetOutOfRangePartitions().keySet());
                    reader.pause(e.offsetOutOfRangePartitions().keySet());
                    continue;
                }
                for (TopicPartition partition : records.partitions()) {
                    found.put(partition, new Reached(records.records(partition).get(0).offset(), true));
                    reading.remove(partition);
                    reader.pause(Set.of(partition));
                }
                for (TopicPartition partition : Set.copyOf(reading)) {
                    long position = reader.position(partition, LOOK);
                    if (position >= ends.get(partition)) {
                        found.put(partition, new Reached(position, false));
                        reading.remove(partition);
                    }
                }
            }
            for (TopicPartition partition : reading) {
                found.put(partition, new Reached(reader.position(partition, LOOK), false));
            }
        } finally {
            reader.assign(Set.of());
        }
        return found;
    }

    /**
     * Past the group's read offset {@code from}: nothing to read up to {@code to}, and a record at {@code to} if
     * {@code recordFound}.
     */
    private record Scan(long from, long to, boolean recordFound) {

        /** This scan read on to where {@code look} got. */
        Scan then(Reached look) {
            return new Scan(from, Math.max(to, look.at()), look.record());
        }
    }

    /** Where a look got: a record at {@code at}, or nothing to read before it. */
    private record Reached(long at, boolean record) {}

    @Override
    public void close() {
        reader.close();
    }
}
