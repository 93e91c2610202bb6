package io.agentmediator.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
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

    /**
     * Waits until every one of {@code partitions} has decided an intent {@code agents} sent at or after {@code since} (test
     * clock); returns when (test clock) the first of those decisions was seen, and when the last partition's first was.
     */
    public static long[] awaitEachDecidedAfter(long since, int partitions, SteadyAgents agents, DecisionWatch watch, Duration timeout)
            throws InterruptedException {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - giveUpAt < 0) {
            Optional<long[]> resumed = eachDecidedAfter(since, partitions, agents, watch);
            if (resumed.isPresent()) {
                return resumed.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not every partition decided an intent sent after the mark within " + timeout);
    }

    /** As {@link #awaitEachDecidedAfter}, without waiting: empty while a partition has decided none of them. */
    public static Optional<long[]> eachDecidedAfter(long since, int partitions, SteadyAgents agents, DecisionWatch watch) {
        FirstDecisionByPartition resumed = new FirstDecisionByPartition(partitions);
        for (SteadyAgents.Sent sent : agents.sent()) {
            resumed.saw(sent.agentId().getBytes(StandardCharsets.UTF_8),
                    sent.sentNanos() - since >= 0 ? watch.firstSeenNanos(sent.intentId()) : null);
        }
        return resumed.last().isPresent() ? Optional.of(new long[] {resumed.first().getAsLong(), resumed.last().getAsLong()}) : Optional.empty();
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
