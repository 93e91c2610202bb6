package io.agentmediator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.Decision;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Tails the decision topics read_committed, as an executor would, and notes when (test clock,
 * {@link System#nanoTime()}) each intent's first decision became visible and how many it got: what
 * recovery tests measure a restart by.
 */
public final class DecisionWatch implements AutoCloseable {

    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private DecisionWatch(String bootstrapServers, Topics topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "watch-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> names = topics.decisions().stream().map(t -> t.name()).toList();
        thread = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(names);
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        Decision decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
                        firstSeenNanos.putIfAbsent(decision.getIntentId(), now);
                        counts.computeIfAbsent(decision.getIntentId(), id -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }
        }, "decision-watch");
        thread.setDaemon(true);
    }

    public static DecisionWatch start(String bootstrapServers, Topics topics) {
        DecisionWatch watch = new DecisionWatch(bootstrapServers, topics);
        watch.thread.start();
        return watch;
    }

    /** When the first decision of the intent became visible, or null while it has none. */
    public Long firstSeenNanos(String intentId) {
        return firstSeenNanos.get(intentId);
    }

    /** How many committed decisions the intent has had so far. */
    public int count(String intentId) {
        AtomicInteger count = counts.get(intentId);
        return count == null ? 0 : count.get();
    }

    /** Waits until each of {@code intentIds} has a committed decision; fails once {@code timeout} has passed. */
    public void awaitDecided(Collection<String> intentIds, Duration timeout) throws InterruptedException {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (intentIds.stream().anyMatch(intentId -> count(intentId) == 0)) {
            assertThat(System.nanoTime() - giveUpAt).as("every intent decided within " + timeout).isNegative();
            Thread.sleep(200);
        }
    }

    /** Stops tailing; the thread ends within one poll. */
    @Override
    public void close() {
        running.set(false);
    }
}
