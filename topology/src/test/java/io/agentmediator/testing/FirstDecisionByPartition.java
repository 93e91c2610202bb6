package io.agentmediator.testing;

import java.util.Arrays;
import java.util.OptionalLong;
import org.apache.kafka.common.utils.Utils;

/**
 * When (test clock) each partition of the intents topic first decided an intent sent after a fault, as the Java client's
 * partitioner places its key: a partition whose task is restored last, or whose instance is gone, stays silent after
 * the others resume.
 */
public final class FirstDecisionByPartition {

    private final long[] first;

    public FirstDecisionByPartition(int partitions) {
        first = new long[partitions];
    }

    /** An intent keyed by {@code key} was first seen decided at {@code seenNanos}; null while it is not. */
    public void saw(byte[] key, Long seenNanos) {
        int partition = Utils.toPositive(Utils.murmur2(key)) % first.length;
        if (seenNanos != null && (first[partition] == 0 || seenNanos - first[partition] < 0)) {
            first[partition] = seenNanos;
        }
    }

    /** The first decision on any partition, once every partition has had one. */
    public OptionalLong first() {
        return everyPartition() ? OptionalLong.of(Arrays.stream(first).min().getAsLong()) : OptionalLong.empty();
    }

    /** When the last partition to resume had its first decision, once every partition has had one. */
    public OptionalLong last() {
        return everyPartition() ? OptionalLong.of(Arrays.stream(first).max().getAsLong()) : OptionalLong.empty();
    }

    private boolean everyPartition() {
        return Arrays.stream(first).allMatch(seen -> seen != 0);
    }
}
