package io.agentmediator.placement;

import org.apache.kafka.common.utils.Utils;

/**
 * The mediator's own partitioning of a topic: murmur2 of the key bytes, as Java's default partitioner
 * hashes them and as Kafka Streams writes the mediator's internal topics (ledger replies, case events
 * keyed by agent id; case owners keyed by intent id). A record must be processed in this partition to
 * meet the state and the records routed to it; librdkafka clients (Python, Go, .NET, kcat) hash with
 * CRC32 and may put it elsewhere.
 *
 * @param partitions the real partition count of the topic, as the cluster describes it
 */
public record KeyPartitioning(int partitions) {

    /** A single partition: every record is where it belongs (a test driver, a backtest). */
    public static final KeyPartitioning SINGLE = new KeyPartitioning(1);

    public KeyPartitioning {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
        }
    }

    /** The partition of a key among {@code count}; the same function as Java's default partitioner. */
    public static int partitionOf(byte[] key, int count) {
        return Utils.toPositive(Utils.murmur2(key)) % count;
    }

    /** The partition where a record with this key belongs. */
    public int partitionOf(byte[] key) {
        return partitionOf(key, partitions);
    }
}
