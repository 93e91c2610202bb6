package io.agentmediator.placement;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends a moved intent to its agent's partition of the placed-intents topic: murmur2 of the key over
 * the topic's real partition count, which Kafka Streams passes from the cluster's metadata.
 */
public final class AgentPartitioner implements StreamPartitioner<byte[], byte[]> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, int numPartitions) {
        return Optional.of(Set.of(AgentPartitioning.partitionOf(key, numPartitions)));
    }
}
