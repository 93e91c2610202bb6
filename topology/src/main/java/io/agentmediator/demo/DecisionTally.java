package io.agentmediator.demo;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Reason;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Counts what the pipeline committed on the decision topics and the dead-letter topic, reading
 * only committed transactions, the way an executor would.
 */
public final class DecisionTally implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Long> byReason = new TreeMap<>();
    private final Map<String, String> examples = new TreeMap<>();
    private final Deserializer<Decision> decisions;

    public DecisionTally(String bootstrapServers, Topics topics) {
        this.decisions = topics.execute().valueSerde().deserializer();
        labels.put(topics.execute().name(), "execute");
        labels.put(topics.escalate().name(), "escalate");
        labels.put(topics.reject().name(), "reject");
        labels.put(topics.intentsDlq().name(), "dlq");
        labels.values().forEach(label -> counts.put(label, 0L));
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "agent-mediator-demo-tally");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.copyOf(labels.keySet()));
    }

    /** Polls until {@code expected} records arrived or the timeout passes; returns the total seen. */
    public long awaitTotal(long expected, Duration timeout) {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (total() < expected && System.nanoTime() - giveUpAt < 0) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                String label = labels.get(record.topic());
                counts.merge(label, 1L, Long::sum);
                if (!label.equals("dlq")) {
                    remember(decisions.deserialize(record.topic(), record.value()));
                }
            }
        }
        return total();
    }

    private void remember(Decision decision) {
        Reason first = decision.getReasons().isEmpty() ? null : decision.getReasons().get(0);
        String key = String.format("%-8s %s", decision.getOutcome(), first == null ? "-" : first.getCode());
        byReason.merge(key, 1L, Long::sum);
        if (first != null) {
            examples.putIfAbsent(key, decision.getAgentId() + ": " + first.getMessage());
        }
    }

    /** One line per outcome and first reason: how many, and one example of what the agent was told. */
    public List<String> breakdown() {
        return byReason.entrySet().stream()
                .map(e -> String.format("  %-34s %6d  %s", e.getKey(), e.getValue(), examples.getOrDefault(e.getKey(), "")))
                .toList();
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(String label) {
        return counts.get(label);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
