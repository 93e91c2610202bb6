package io.agentmediator.guard;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context a guarded processor sees: its stores journal every write and its forwards wait, so a
 * unit of work (a record, a punctuation, one entry of a punctuation) that fails leaves no trace:
 * its writes are undone and what it would have sent is never sent. A unit that succeeds sends its
 * records, in order, when the outermost unit ends.
 */
final class GuardedContext<K, V> implements ProcessorContext<K, V>, EntryGuard {

    private static final Logger log = LoggerFactory.getLogger(GuardedContext.class);

    private final ProcessorContext<K, V> context;
    private final String processor;
    private final GuardEvents events;
    private final boolean keepsHouse;
    private final WriteJournal journal = new WriteJournal();
    private final List<Runnable> pending = new ArrayList<>();
    private int depth;

    GuardedContext(ProcessorContext<K, V> context, String processor, GuardEvents metrics, boolean keepsHouse) {
        this.context = context;
        this.processor = processor;
        this.events = metrics;
        this.keepsHouse = keepsHouse;
    }

    /** Runs {@code work} as one unit: all of it happens, or, when it throws, none of it, and the error goes on up. */
    void unit(Runnable work) {
        int journalMark = journal.mark();
        int forwardMark = pending.size();
        depth++;
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            journal.rollBackTo(journalMark);
            pending.subList(forwardMark, pending.size()).clear();
            throw e;
        } finally {
            depth--;
        }
        if (depth == 0) {
            journal.keep(0);
            List<Runnable> sends = new ArrayList<>(pending);
            pending.clear();
            try {
                sends.forEach(Runnable::run);
            } catch (TaskMigratedException | TaskCorruptedException e) {
                // Kafka Streams' own (the producer fenced, say, its transaction timed out in a long rebalance): it moves or
                // restores the task with the thread alive, undoing the attempt. Wrapped, it killed the thread, whose
                // replacement joined under a new group.instance.id while the dead one held its partitions for a session.
                throw e;
            } catch (RuntimeException e) {
                throw new KeptUnitNotSent(processor, e);
            }
        }
    }

    @Override
    public void attempt(String entry, Runnable step) {
        try {
            unit(step);
        } catch (RuntimeException e) {
            skipped(entry, e);
        }
    }

    /**
     * An error of the unit's own is skipped: it was undone. One in sending what it wrote comes after its writes were kept (an
     * unreachable schema registry, one refusing the mediator's schema, a failed send): skipping it would keep a deadline's
     * closing without its decision. That, and an outage, go on up, so the stream thread stops and its task restarts from the
     * last commit, where exactly-once leaves both undone.
     */
    private void skipped(String what, RuntimeException e) {
        if (e instanceof KeptUnitNotSent || DeadLetterRecords.isOutage(e)) {
            throw e;
        }
        events.skipped(processor);
        log.error("{}: skipped {} after an error; nothing of it was kept, the rest goes on", processor, what, e);
    }

    @Override
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record) {
        if (depth == 0) {
            context.forward(record);
        } else {
            pending.add(() -> context.forward(record));
        }
    }

    @Override
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record, String childName) {
        if (depth == 0) {
            context.forward(record, childName);
        } else {
            pending.add(() -> context.forward(record, childName));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends StateStore> S getStateStore(String name) {
        StateStore store = context.getStateStore(name);
        if (store instanceof KeyValueStore<?, ?> keyValue) {
            return (S) new JournaledKeyValueStore<>((KeyValueStore<Object, Object>) keyValue, journal);
        }
        if (store instanceof WindowStore<?, ?> window) {
            return (S) new JournaledWindowStore<>((WindowStore<Object, Object>) window, journal);
        }
        throw new IllegalArgumentException(processor + " asked for store " + name + " of a kind whose writes cannot be undone: "
                + store.getClass().getName());
    }

    @Override
    public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
        return context.schedule(interval, type, guarded(callback));
    }

    @Override
    public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
        return context.schedule(startTime, interval, type, guarded(callback));
    }

    /**
     * A punctuation that fails as a whole is undone and counted; the next one runs as usual. Refused to a processor not
     * made with {@link Guarded#keepingHouse}: its skips would be counted in a series that first appears at 1, which an
     * alert on the counter's increase never sees.
     */
    private Punctuator guarded(Punctuator callback) {
        if (!keepsHouse) {
            throw new IllegalStateException(processor + " schedules a punctuation but was not made with Guarded.keepingHouse,"
                    + " so its skipped housekeeping is not exported at 0 from the start");
        }
        return timestamp -> {
            try {
                unit(() -> callback.punctuate(timestamp));
            } catch (RuntimeException e) {
                skipped("the punctuation at " + Instant.ofEpochMilli(timestamp), e);
            }
        };
    }

    @Override
    public String applicationId() {
        return context.applicationId();
    }

    @Override
    public TaskId taskId() {
        return context.taskId();
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return context.recordMetadata();
    }

    @Override
    public Serde<?> keySerde() {
        return context.keySerde();
    }

    @Override
    public Serde<?> valueSerde() {
        return context.valueSerde();
    }

    @Override
    public File stateDir() {
        return context.stateDir();
    }

    @Override
    public StreamsMetrics metrics() {
        return context.metrics();
    }

    @Override
    public void commit() {
        context.commit();
    }

    @Override
    public Map<String, Object> appConfigs() {
        return context.appConfigs();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return context.appConfigsWithPrefix(prefix);
    }

    @Override
    public long currentSystemTimeMs() {
        return context.currentSystemTimeMs();
    }

    @Override
    public long currentStreamTimeMs() {
        return context.currentStreamTimeMs();
    }
}
