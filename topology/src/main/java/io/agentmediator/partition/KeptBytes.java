package io.agentmediator.partition;

import io.agentmediator.limits.RecordSize;
import io.agentmediator.schema.internal.WaitingIntent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How many bytes the partition keeps in memory for each agent: its open escalations, its intents waiting for their
 * dependencies and its intents whose claims are out, each as large as the texts written on it. The gate bounds this per
 * agent ({@code limits.agent.kept.bytes}): counts alone let one agent's long texts fill the heap every agent of the
 * instance shares.
 *
 * <p>The store is not logged. The first question after the task starts counts it again from the stores it sums, which
 * their changelogs restored, so it cannot drift from them across crashes, aborted transactions (which close the task and
 * with it this store) or versions that did not count; and it costs no changelog record.
 */
public final class KeptBytes {

    /** Noted once counted; agents' totals are under {@link #AGENT} and their id, so no agent id can take its place. */
    private static final String COUNTED = "counted";

    private static final String AGENT = "agent/";

    private final KeyValueStore<String, Long> totals;
    private final Supplier<Map<String, Long>> count;

    /** @param count what the stores it sums hold now, by agent id: run once after each start */
    KeptBytes(KeyValueStore<String, Long> totals, Supplier<Map<String, Long>> count) {
        this.totals = totals;
        this.count = count;
        // Opened by the processors' init, before the task processes anything: the store may outlive a task's earlier life
        // (Kafka Streams recycles a task between active and standby without closing its stores, and this one follows no
        // changelog while standby), so what it holds is counted again.
        totals.delete(COUNTED);
    }

    /** The agent whose total is under {@code key} in the store; empty for the store's own note. */
    public static Optional<String> agentOf(String key) {
        return key.startsWith(AGENT) ? Optional.of(key.substring(AGENT.length())) : Optional.empty();
    }

    long of(String agentId) {
        counted();
        Long total = totals.get(AGENT + agentId);
        return total == null ? 0 : total;
    }

    /** One of the agent's entries changed from {@code beforeBytes} to {@code afterBytes} (0 for none). */
    void change(String agentId, long beforeBytes, long afterBytes) {
        if (beforeBytes == afterBytes) {
            return;
        }
        long total = of(agentId) - beforeBytes + afterBytes;
        if (total <= 0) {
            totals.delete(AGENT + agentId);
        } else {
            totals.put(AGENT + agentId, total);
        }
    }

    /** Counts the store now if it was not counted since the task started, so that what reads it from outside sees it. */
    void counted() {
        if (totals.get(COUNTED) != null) {
            return;
        }
        // Totals of an earlier life of the task, if the store outlived it, are stale: agents with nothing kept now have none.
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = totals.all()) {
            all.forEachRemaining(entry -> stale.add(entry.key));
        }
        stale.forEach(totals::delete);
        List<KeyValue<String, Long>> counted = new ArrayList<>();
        count.get().forEach((agentId, bytes) -> counted.add(KeyValue.pair(AGENT + agentId, bytes)));
        counted.add(KeyValue.pair(COUNTED, 1L));
        totals.putAll(counted);
    }

    /** What a waiting intent takes in its store, at least. */
    static int bytes(WaitingIntent waiting) {
        return RecordSize.encodedBytes(waiting::toByteBuffer, "a waiting intent");
    }
}
