package io.agentmediator.catchup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which tails count as read, and which are read again; GroupProgressIT and AbortedAnswersIT run it on a broker. */
class UnreadableTailsTest {

    /** Offsets 0 to 2 an aborted transaction's, its end 3: a read_committed reader passes the end without a record. */
    private static final TopicPartition ABORTED = new TopicPartition("agent.outcomes", 0);
    /** One committed record at offset 0, its end 1. */
    private static final TopicPartition PENDING = new TopicPartition("agent.outcomes", 1);

    private final Broker broker = new Broker();
    private final UnreadableTails tails = new UnreadableTails(broker);

    @Test
    void shouldCountAnAbortedTailReadOnceTheGroupHasStoodStillBeforeIt() {
        // Given a group that has read neither partition, seen once
        assertThat(tails.skipped(Map.of(ABORTED, 0L, PENDING, 0L), Map.of(ABORTED, 3L, PENDING, 1L)))
                .as("nothing looked at before a partition has stood still").containsEntry(ABORTED, 0L).containsEntry(PENDING, 0L);
        assertThat(broker.seeks).isEmpty();

        // When it has not moved at the next poll, then the aborted tail counts read to its end, the committed record not
        assertThat(tails.skipped(Map.of(ABORTED, 0L, PENDING, 0L), Map.of(ABORTED, 3L, PENDING, 1L)))
                .containsEntry(ABORTED, 3L).containsEntry(PENDING, 0L);
    }

    @Test
    void shouldNotReadAnEmptyTailAgainWhileItStaysAsItWas() {
        Map<TopicPartition, Long> read = Map.of(ABORTED, 0L, PENDING, 0L);
        Map<TopicPartition, Long> ends = Map.of(ABORTED, 3L, PENDING, 1L);
        tails.skipped(read, ends);
        tails.skipped(read, ends);

        // When the group stands still for three more polls
        for (int poll = 0; poll < 3; poll++) {
            assertThat(tails.skipped(read, ends)).containsEntry(ABORTED, 3L).containsEntry(PENDING, 0L);
        }

        // Then each was read once: the aborted tail found empty, the other to hold a record
        assertThat(broker.seeks).containsEntry(ABORTED, 1).containsEntry(PENDING, 1);
    }

    @Test
    void shouldReadALongTailOnAPieceAPollUntilItsEnd() {
        // Given an aborted tail of 10 records, of which a look gets past 3
        Map<TopicPartition, Long> read = Map.of(ABORTED, 0L);
        Map<TopicPartition, Long> ends = Map.of(ABORTED, 10L);
        tails.skipped(read, ends);

        // Then it is read on from where the last look stopped, and counted once a look gets to the end
        assertThat(tails.skipped(read, ends)).containsEntry(ABORTED, 0L);
        assertThat(tails.skipped(read, ends)).containsEntry(ABORTED, 0L);
        assertThat(tails.skipped(read, ends)).containsEntry(ABORTED, 0L);
        assertThat(tails.skipped(read, ends)).containsEntry(ABORTED, 10L);
        assertThat(broker.seekedTo).containsExactly(0L, 3L, 6L, 9L);
    }

    @Test
    void shouldNotCountATailDeletedBelowWhereItIsRead() {
        // Given a group standing still at 0, and the partition deleted past 0 by the time it is read (retention, or the purge
        // of what the group read since)
        tails.skipped(Map.of(ABORTED, 0L), Map.of(ABORTED, 3L));
        broker.setPollException(new OffsetOutOfRangeException("deleted", Map.of(ABORTED, 0L)));

        // Then it is not counted read: what lies past the deletion is unknown
        assertThat(tails.skipped(Map.of(ABORTED, 0L), Map.of(ABORTED, 3L))).containsEntry(ABORTED, 0L);

        // And it is read again at the next poll
        assertThat(tails.skipped(Map.of(ABORTED, 0L), Map.of(ABORTED, 3L))).containsEntry(ABORTED, 3L);
    }

    @Test
    void shouldReadATailAgainOnceSomethingWasWrittenAfterIt() {
        tails.skipped(Map.of(ABORTED, 0L), Map.of(ABORTED, 3L));
        tails.skipped(Map.of(ABORTED, 0L), Map.of(ABORTED, 3L));

        // When a committed record lands after the aborted transaction
        broker.committedAt(ABORTED, 3);

        // Then the partition is read again, and is unread
        assertThat(tails.skipped(Map.of(ABORTED, 0L), Map.of(ABORTED, 4L))).containsEntry(ABORTED, 0L);
        assertThat(broker.seeks).containsEntry(ABORTED, 2);
    }

    @Test
    void shouldNotLookAtAPartitionTheGroupIsReading() {
        tails.skipped(Map.of(ABORTED, 0L), Map.of(ABORTED, 3L));

        assertThat(tails.skipped(Map.of(ABORTED, 1L), Map.of(ABORTED, 3L))).containsEntry(ABORTED, 1L);
        assertThat(broker.seeks).isEmpty();
    }

    @Test
    void shouldStartOnTheClientSettingsOfAMediatorInKafkaStreamsOwnGroupProtocol() {
        // group.protocol=streams is a setting of Kafka Streams 4.4, which every client of the mediator is given; a plain
        // consumer refuses it, and its reader joins no group
        Map<String, Object> settings = Map.of("bootstrap.servers", "localhost:9", "group.protocol", "streams",
                "group.instance.id", "mediator-0");

        assertThatCode(() -> new UnreadableTails(settings).close()).doesNotThrowAnyException();
    }

    /** The partitions above, as a read_committed reader sees them; counts where it is sent to read. */
    private static final class Broker extends MockConsumer<byte[], byte[]> {

        private final Map<TopicPartition, Integer> seeks = new HashMap<>();
        private final Map<TopicPartition, Long> committedRecords = new HashMap<>(Map.of(PENDING, 0L));
        private final Map<TopicPartition, Long> lastSeek = new HashMap<>();
        private final List<Long> seekedTo = new ArrayList<>();

        Broker() {
            super("earliest");
        }

        void committedAt(TopicPartition partition, long offset) {
            committedRecords.put(partition, offset);
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            seeks.merge(partition, 1, Integer::sum);
            lastSeek.put(partition, offset);
            if (partition.equals(ABORTED)) {
                seekedTo.add(offset);
            }
            super.seek(partition, offset);
            Long record = committedRecords.get(partition);
            if (record != null && record >= offset) {
                schedulePollTask(() -> addRecord(new ConsumerRecord<>(partition.topic(), partition.partition(), record, null, new byte[0])));
            }
        }

        /** Where the reader is: 3 records further into an aborted tail (it fetched and skipped them), at a committed record until it returns it. */
        @Override
        public synchronized long position(TopicPartition partition, Duration timeout) {
            if (committedRecords.containsKey(partition)) {
                return super.position(partition, timeout);
            }
            return lastSeek.get(partition) + 3;
        }
    }
}
