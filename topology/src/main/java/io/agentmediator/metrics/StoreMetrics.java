package io.agentmediator.metrics;

import io.micrometer.core.instrument.Meter;
import java.util.Set;

/**
 * Which of Kafka Streams' per-store metrics are exported: those that say how much memory and disk the stores take.
 * Kafka Streams records some thirty per store and task (rates and latencies of every kind of read and write, iterators,
 * restoration), two thirds of a pod's series with three partitions and growing with every task it holds, and the
 * mediator's own metrics already say what the stores are used for.
 */
final class StoreMetrics {

    private static final String STATE = "kafka.stream.state.";
    private static final Set<String> EXPORTED = Set.of("block.cache.capacity", "block.cache.usage", "block.cache.pinned.usage",
            "size.all.mem.tables", "estimate.num.keys", "total.sst.files.size");

    private StoreMetrics() {}

    static boolean unexported(Meter.Id id) {
        return id.getName().startsWith(STATE) && !EXPORTED.contains(id.getName().substring(STATE.length()));
    }
}
