package io.agentmediator.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.testing.KafkaTestClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The read horizon following a consumer group on a broker; ReadHorizonTest covers its rounds. */
@Tag("slow")
class GroupProgressIT {

    private static final TopicPartition EMPTIED = new TopicPartition("agent.approvals", 0);
    private static final TopicPartition PENDING = new TopicPartition("agent.approvals", 1);

    @Test
    void shouldCountWhatRetentionDeletedAsReadByAGroupThatNeverCommittedIt() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            // Given one approvals partition whose 100 records retention deleted, and another with one record left, both
            // read by a group that never committed (a new application.id, or its offsets expired while scaled to zero)
            admin.createTopics(List.of(new NewTopic(EMPTIED.topic(), 2, (short) 1))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>(EMPTIED.topic(), EMPTIED.partition(), null, "approval".getBytes()));
                }
                producer.send(new ProducerRecord<>(PENDING.topic(), PENDING.partition(), null, "approval".getBytes())).get();
            }
            admin.deleteRecords(Map.of(EMPTIED, RecordsToDelete.beforeOffset(100))).all().get();
            ReadHorizon horizon = new ReadHorizon();

            try (GroupProgress progress = GroupProgress.start(KafkaTestClients.adminConfig(broker.bootstrapServers()), "fresh-group",
                    Set.of(EMPTIED, PENDING), horizon)) {
                // Then the horizon waits while the record left is unread
                Thread.sleep(GroupProgress.INTERVAL.multipliedBy(2L * ReadHorizon.HOPS).toMillis());
                assertThat(horizon.known()).isFalse();

                // When the group reads it and commits, without a record of the emptied partition to read or commit
                admin.alterConsumerGroupOffsets("fresh-group", Map.of(PENDING, new OffsetAndMetadata(1))).all().get();

                // Then the horizon moves: what retention deleted is no longer awaited, and deadlines are checked again
                assertThat(knownWithin(horizon, Duration.ofSeconds(30))).as("horizon known with nothing left unread").isTrue();
            }
        }
    }

    @Test
    void shouldCountWhatAbortedTransactionsLeftAsReadByAGroupThatNeverCommittedThere() throws Exception {
        TopicPartition aborted = new TopicPartition("agent.outcomes", 0);
        TopicPartition pending = new TopicPartition("agent.outcomes", 1);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            // Given one outcomes partition holding only what an executor's transaction wrote before it aborted, and another
            // with one committed record, read by a group that committed on neither (Kafka Streams commits only where it
            // processed a record since its task started)
            admin.createTopics(List.of(new NewTopic(aborted.topic(), 2, (short) 1))).all().get();
            try (KafkaProducer<byte[], byte[]> executor = KafkaTestClients.producer(broker.bootstrapServers(),
                    Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "executor-1"))) {
                executor.initTransactions();
                executor.beginTransaction();
                for (int i = 0; i < 3; i++) {
                    executor.send(new ProducerRecord<>(aborted.topic(), aborted.partition(), null, "outcome".getBytes()));
                }
                executor.flush();
                executor.abortTransaction();
            }
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>(pending.topic(), pending.partition(), null, "outcome".getBytes())).get();
            }
            ReadHorizon horizon = new ReadHorizon();

            try (GroupProgress progress = GroupProgress.start(KafkaTestClients.adminConfig(broker.bootstrapServers()), "aborted-group",
                    Set.of(aborted, pending), horizon)) {
                // Then the horizon waits while the committed record is unread
                Thread.sleep(GroupProgress.INTERVAL.multipliedBy(2L * ReadHorizon.HOPS).toMillis());
                assertThat(horizon.known()).isFalse();

                // When the group reads it and commits there, and nothing else
                admin.alterConsumerGroupOffsets("aborted-group", Map.of(pending, new OffsetAndMetadata(1))).all().get();

                // Then the horizon moves: what the aborted transaction left is nothing to wait for
                assertThat(knownWithin(horizon, Duration.ofSeconds(30))).as("horizon known with only aborted records unread").isTrue();
            }
        }
    }

    private static boolean knownWithin(ReadHorizon horizon, Duration limit) throws InterruptedException {
        long giveUpAt = System.nanoTime() + limit.toNanos();
        while (!horizon.known() && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(100);
        }
        return horizon.known();
    }
}
