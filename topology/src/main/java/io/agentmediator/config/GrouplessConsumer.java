package io.agentmediator.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The settings of a consumer that assigns itself partitions and reads them in no group, committing nothing, from the
 * mediator's client settings. Those go to every client Kafka Streams makes, group settings included: a
 * {@code group.protocol=streams} (Kafka Streams' own protocol), which a plain consumer refuses, or a
 * {@code group.instance.id} that is the streams' own. So they are left out here.
 */
public final class GrouplessConsumer {

    private static final Set<String> MEMBERSHIP = Set.of(ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);

    private GrouplessConsumer() {}

    /** {@code clientSettings} without group membership, reading only what is committed, committing nothing. */
    public static Map<String, Object> settings(Map<String, Object> clientSettings) {
        Map<String, Object> settings = new HashMap<>(clientSettings);
        MEMBERSHIP.forEach(settings::remove);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return settings;
    }

    /**
     * Assigns {@code consumer} every partition of {@code topic} at its end as it is now: resolved here, not at the first
     * poll, so that a record written after this returns is read. Closes the consumer if it cannot.
     */
    public static void fromEnd(Consumer<?, ?> consumer, String topic) {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }
}
