package io.agentmediator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * What restoring state stores from their changelogs costs: records restored and time taken per
 * store, and how many store partitions are restoring now. Under exactly-once, every start after an
 * unclean stop restores every store of the instance from scratch; these metrics say how long that
 * kept decisions waiting. Called by Kafka Streams on its restoring threads.
 */
public final class StateRestoreMeter implements StateRestoreListener {

    private final Meter.MeterProvider<Counter> records;
    private final Meter.MeterProvider<Timer> durations;
    private final AtomicInteger restoring = new AtomicInteger();
    private final Map<TopicPartition, Long> startedNanos = new ConcurrentHashMap<>();

    StateRestoreMeter(MeterRegistry registry) {
        records = Counter.builder("mediator.state.restore.records")
                .description("Records restored into state stores from their changelogs, by store")
                .withRegistry(registry);
        durations = Timer.builder("mediator.state.restore")
                .description("Time to restore one store partition from its changelog, by store")
                .withRegistry(registry);
        Gauge.builder("mediator.state.restoring.partitions", restoring, AtomicInteger::get)
                .description("Store partitions restoring from their changelogs now")
                .register(registry);
    }

    /** Exports the counters and timers at 0 for these stores, before any restoration. */
    void startAtZero(Collection<String> stores) {
        for (String store : stores) {
            records.withTags("store", store);
            durations.withTags("store", store);
        }
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        startedNanos.put(partition, System.nanoTime());
        restoring.incrementAndGet();
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        records.withTags("store", store).increment(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        finished(partition, store);
    }

    /** A restoration cut short (the task moved to another instance) still took the time it took. */
    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        finished(partition, store);
    }

    private void finished(TopicPartition partition, String store) {
        Long started = startedNanos.remove(partition);
        if (started != null) {
            restoring.decrementAndGet();
            durations.withTags("store", store).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
