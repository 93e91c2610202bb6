package io.agentmediator.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what an app wrote, topic by topic, as a {@code read_committed} consumer sees it: output
 * topics, internal topics and every store's changelog. Each transaction an app commits also leaves a
 * marker in every partition it wrote; offsets count those, a consumer does not, so the census reads
 * the records. Divided by the intents decided, it is what deciding one intent costs the broker, which
 * on a busy machine is steadier than any rate.
 */
final class RecordCensus {

    /** How long the end offsets must stay still before counting: what an app writes after reading its own output lags a commit. */
    private static final Duration SETTLED = Duration.ofSeconds(3);
    private static final Duration CHECK = Duration.ofMillis(500);

    private final Map<String, Object> clientSettings;

    RecordCensus(Map<String, Object> clientSettings) {
        this.clientSettings = clientSettings;
    }

    /** One topic's count: its records and their key and value bytes. */
    record Count(String topic, long records, long bytes) {}

    /**
     * Waits until no topic {@code counted} accepts grows for a few seconds (or {@code timeout} passes),
     * then counts every one of them from its start.
     */
    List<Count> take(Predicate<String> counted, Duration timeout) throws InterruptedException {
        List<TopicPartition> partitions = awaitSettled(counted, timeout);
        Map<String, long[]> totals = new HashMap<>();
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Under read_committed the end is the last stable offset: everything committed, nothing open.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long giveUpAt = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() - giveUpAt >= 0) {
                    throw new IllegalStateException("the record census did not reach the end of every topic within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    long[] total = totals.computeIfAbsent(record.topic(), topic -> new long[2]);
                    total[0]++;
                    total[1] += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                }
            }
        }
        return totals.entrySet().stream()
                .map(entry -> new Count(entry.getKey(), entry.getValue()[0], entry.getValue()[1]))
                .sorted(Comparator.comparingLong(Count::records).reversed().thenComparing(Count::topic))
                .toList();
    }

    /** Prints the counts per intent decided, topic names shortened by {@code shortName}, and their sum. */
    static void print(PrintWriter out, List<Count> counts, long intents, Function<String, String> shortName) {
        out.printf(Locale.ROOT, "records written per intent decided (%d intents), read_committed, by topic:%n", intents);
        out.printf(Locale.ROOT, "%-44s %10s %15s %13s%n", "topic", "records", "records/intent", "bytes/intent");
        long records = 0;
        long bytes = 0;
        for (Count count : counts) {
            out.printf(Locale.ROOT, "%-44s %10d %15.3f %13.1f%n", shortName.apply(count.topic()), count.records(),
                    (double) count.records() / intents, (double) count.bytes() / intents);
            records += count.records();
            bytes += count.bytes();
        }
        out.printf(Locale.ROOT, "%-44s %10d %15.3f %13.1f%n", "all", records, (double) records / intents, (double) bytes / intents);
    }

    private List<TopicPartition> awaitSettled(Predicate<String> counted, Duration timeout) throws InterruptedException {
        try (Admin admin = Admin.create(clientSettings)) {
            long giveUpAt = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, Long> last = Map.of();
            long stillSince = System.nanoTime();
            while (true) {
                Map<TopicPartition, Long> ends = endOffsets(admin, counted);
                if (!ends.equals(last)) {
                    last = ends;
                    stillSince = System.nanoTime();
                } else if (System.nanoTime() - stillSince >= SETTLED.toNanos() || System.nanoTime() - giveUpAt >= 0) {
                    return new ArrayList<>(ends.keySet());
                }
                Thread.sleep(CHECK.toMillis());
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, Predicate<String> counted) throws InterruptedException {
        try {
            Set<String> topics = admin.listTopics().names().get().stream().filter(counted).collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                    .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
        } catch (ExecutionException e) {
            throw new KafkaException("cannot read the end offsets for the record census", e.getCause());
        }
    }
}
