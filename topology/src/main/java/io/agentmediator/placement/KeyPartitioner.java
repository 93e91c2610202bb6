package io.agentmediator.placement;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends a moved record to its key's partition of a placed topic: murmur2 of the key over the topic's
 * real partition count, which Kafka Streams passes from the cluster's metadata.
 */
public final class KeyPartitioner implements StreamPartitioner<byte[], byte[]> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, int numPartitions) {
        return Optional.of(Set.of(KeyPartitioning.partitionOf(key, numPartitions)));
    }
}
