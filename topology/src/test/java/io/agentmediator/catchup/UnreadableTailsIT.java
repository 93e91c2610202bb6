package io.agentmediator.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.testing.KafkaTestClients;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link UnreadableTails} reading a real broker's transactions; UnreadableTailsTest covers what it remembers between polls. */
@Tag("slow")
class UnreadableTailsIT {

    @Test
    void shouldCountOnlyTailsWithNothingCommittedToRead() throws Exception {
        TopicPartition midTransaction = new TopicPartition("agent.outcomes", 0);
        TopicPartition abortedThenOpen = new TopicPartition("agent.outcomes", 1);
        TopicPartition abortedOnly = new TopicPartition("agent.outcomes", 2);
        TopicPartition abortedThenCommitted = new TopicPartition("agent.outcomes", 3);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()));
                KafkaProducer<byte[], byte[]> committer = transactional(broker, "committer");
                KafkaProducer<byte[], byte[]> aborter = transactional(broker, "aborter");
                KafkaProducer<byte[], byte[]> opener = transactional(broker, "opener")) {
            admin.createTopics(List.of(new NewTopic(midTransaction.topic(), 4, (short) 1))).all().get();
            // Given a committed transaction of five records read up to its third
            committer.beginTransaction();
            for (int i = 0; i < 5; i++) {
                committer.send(new ProducerRecord<>(midTransaction.topic(), midTransaction.partition(), null, "c".getBytes()));
            }
            committer.commitTransaction();
            // And three partitions with an aborted transaction: then one open, then nothing, then a committed record
            aborter.beginTransaction();
            for (int i = 0; i < 3; i++) {
                for (TopicPartition partition : List.of(abortedThenOpen, abortedOnly, abortedThenCommitted)) {
                    aborter.send(new ProducerRecord<>(partition.topic(), partition.partition(), null, "a".getBytes()));
                }
            }
            aborter.flush();
            aborter.abortTransaction();
            committer.beginTransaction();
            committer.send(new ProducerRecord<>(abortedThenCommitted.topic(), abortedThenCommitted.partition(), null, "c".getBytes()));
            committer.commitTransaction();
            opener.beginTransaction();
            opener.send(new ProducerRecord<>(abortedThenOpen.topic(), abortedThenOpen.partition(), null, "o".getBytes()));
            opener.flush();
            Map<TopicPartition, Long> read = Map.of(midTransaction, 2L, abortedThenOpen, 0L, abortedOnly, 0L, abortedThenCommitted, 0L);
            // (each transaction's records and its marker; the open one begins past the end a read_committed reader sees)
            Map<TopicPartition, Long> ends = Map.of(midTransaction, endOnce(admin, midTransaction, 6),
                    abortedThenOpen, endOnce(admin, abortedThenOpen, 4), abortedOnly, endOnce(admin, abortedOnly, 4),
                    abortedThenCommitted, endOnce(admin, abortedThenCommitted, 6));

            // When the group stands still before all four
            try (UnreadableTails tails = new UnreadableTails(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
                tails.skipped(read, ends);

                // Then only the tails of aborted records alone count read, up to where an open transaction begins
                assertThat(tails.skipped(read, ends))
                        .containsEntry(midTransaction, 2L)
                        .containsEntry(abortedThenOpen, 4L)
                        .containsEntry(abortedOnly, ends.get(abortedOnly))
                        .containsEntry(abortedThenCommitted, 0L);
            }
            opener.abortTransaction();
        }
    }

    @Test
    void shouldNotCountATailDeletedBelowWhereTheGroupStood() throws Exception {
        TopicPartition partition = new TopicPartition("agent.case-events", 0);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            // Given ten committed records, a group that stood still at 2, and what lies before 5 deleted since (the purge
            // of what the group read meanwhile, or retention)
            admin.createTopics(List.of(new NewTopic(partition.topic(), 1, (short) 1))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), null, ("event" + i).getBytes())).get();
                }
            }
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(5))).all().get();

            // Then reading from 2 finds it deleted, and does not count it read: records 5 to 9 are unread
            try (UnreadableTails tails = new UnreadableTails(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
                tails.skipped(Map.of(partition, 2L), Map.of(partition, 10L));
                assertThat(tails.skipped(Map.of(partition, 2L), Map.of(partition, 10L))).containsEntry(partition, 2L);
            }
        }
    }

    @Test
    void shouldCountATailLongerThanALookOnceReadToItsEnd() throws Exception {
        TopicPartition partition = new TopicPartition("agent.outcomes", 0);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()));
                KafkaProducer<byte[], byte[]> executor = transactional(broker, "bulk-executor")) {
            // Given an executor's aborted batch of 2,000 outcomes of 8 KiB, more than one look of 16 KiB fetches reads
            admin.createTopics(List.of(new NewTopic(partition.topic(), 1, (short) 1))).all().get();
            executor.beginTransaction();
            byte[] outcome = new byte[8 * 1024];
            for (int i = 0; i < 2000; i++) {
                executor.send(new ProducerRecord<>(partition.topic(), partition.partition(), null, outcome));
            }
            executor.flush();
            executor.abortTransaction();
            long end = endOnce(admin, partition, 2001);

            // When the group stands still before it, then each poll reads on, and it counts read once a look gets to the end
            try (UnreadableTails tails = new UnreadableTails(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
                long counted = 0;
                int polls = 0;
                while (counted < end && polls < 120) {
                    counted = tails.skipped(Map.of(partition, 0L), Map.of(partition, end)).get(partition);
                    polls++;
                }
                System.out.println("UnreadableTailsIT: a tail of " + end + " records counted read after " + polls + " polls");
                assertThat(counted).isEqualTo(end);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> transactional(EmbeddedKafkaBroker broker, String id) {
        KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers(), Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
        producer.initTransactions();
        return producer;
    }

    /**
     * The end a read_committed reader sees (the last stable offset) once it is {@code expected}: the coordinator writes a
     * transaction's markers after the producer's commit or abort has returned.
     */
    private static long endOnce(Admin admin, TopicPartition partition, long expected) throws Exception {
        long giveUpAt = System.nanoTime() + 30_000_000_000L;
        long end = end(admin, partition);
        while (end != expected && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(50);
            end = end(admin, partition);
        }
        assertThat(end).as("the end of %s", partition).isEqualTo(expected);
        return end;
    }

    private static long end(Admin admin, TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .partitionResult(partition).get().offset();
    }
}
