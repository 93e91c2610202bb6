package io.agentmediator.placement;

import org.apache.kafka.common.utils.Utils;

/**
 * The mediator's own partitioning of agents: murmur2 of the key bytes, as Java's default
 * partitioner hashes them and as Kafka Streams routes the ledger's replies, approvals and outcomes
 * (keyed by agent id) back to the agent. An agent's intents must be decided in this partition, where
 * those records arrive; librdkafka clients (Python, Go, .NET, kcat) hash with CRC32 and may put them
 * elsewhere.
 *
 * @param partitions the real partition count of the intents topic, as the cluster describes it
 */
public record AgentPartitioning(int partitions) {

    /** A single partition: every record is where it belongs (a test driver, a backtest). */
    public static final AgentPartitioning SINGLE = new AgentPartitioning(1);

    public AgentPartitioning {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
        }
    }

    /** The partition of an agent's records among {@code count}; the same function as Java's default partitioner. */
    public static int partitionOf(byte[] key, int count) {
        return Utils.toPositive(Utils.murmur2(key)) % count;
    }

    /** The partition where an intent with this key is decided. */
    public int partitionOf(byte[] key) {
        return partitionOf(key, partitions);
    }
}
