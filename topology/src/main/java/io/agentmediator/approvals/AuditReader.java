package io.agentmediator.approvals;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the compacted audit topic from the beginning to the end it had when reading began and
 * keeps the latest case file of each key a selection asks for, while the selection keeps it: a
 * topic holds a case file for every intent ever decided, which no command needs in memory at once.
 *
 * <p>Reads {@code read_committed}, as executors do, so a case file the mediator has not committed
 * yet is never shown. The consumer joins no group and commits nothing: looking must leave no trace
 * on the cluster. Scanning the whole topic is the price of needing nothing but Kafka; an HTTP query
 * endpoint will answer the same questions from the mediator's stores.
 */
public final class AuditReader {

    /** How long reading may make no progress before it gives up, so an unreachable cluster is an error, not a hang. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final Duration POLL = Duration.ofMillis(200);

    private final MediatorConfig config;

    public AuditReader(MediatorConfig config) {
        this.config = config;
    }

    /** The latest case file of each key on the audit topic that the selection keeps. */
    public AuditSnapshot read(AuditSelection selection) {
        Topics topics = Topics.of(config);
        String topic = topics.audit().name();
        Deserializer<AuditRecord> values = topics.audit().valueSerde().deserializer();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerSettings(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("the audit topic " + topic + " does not exist at " + config.get(ConfigKeys.BOOTSTRAP_SERVERS)
                        + "; check bootstrap.servers and topic.prefix, and that the mediator has run there");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            KeptCaseFiles kept = new KeptCaseFiles(selection, values);
            readUntil(consumer, topic, end, kept);
            return kept.snapshot();
        }
    }

    private static void readUntil(KafkaConsumer<byte[], byte[]> consumer, String topic, Map<TopicPartition, Long> end, KeptCaseFiles kept) {
        long behind = behind(consumer, end);
        long lastProgress = System.nanoTime();
        while (behind > 0) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                // Records written after reading began belong to a later snapshot.
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    kept.add(record);
                }
            }
            // Progress is the position, not records returned: aborted transactions and markers are skipped silently.
            long stillBehind = behind(consumer, end);
            if (stillBehind < behind) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > PATIENCE.toNanos()) {
                throw new IllegalStateException("reading " + topic + " made no progress for " + PATIENCE.toSeconds()
                        + "s, " + stillBehind + " records before its end; is the cluster reachable?");
            }
            behind = stillBehind;
        }
    }

    /** How many offsets are left before the end captured at the start. */
    private static long behind(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream()
                .mapToLong(partition -> Math.max(0, partition.getValue() - consumer.position(partition.getKey())))
                .sum();
    }

    private Map<String, Object> consumerSettings() {
        Map<String, Object> settings = config.clientSettings();
        // No group: a person looking must not appear as, or commit for, any consumer group.
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return settings;
    }
}
