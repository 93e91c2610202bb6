package io.agentmediator.keys;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One pass through a store whose housekeeping reads only a {@link PruneIndex}, filing the records the index lacks:
 * records a version before the index wrote are in the store alone, and housekeeping would never visit them. A batch
 * at a time, so a large store does not hold up the stream thread. Where the pass is is kept in memory on purpose: each
 * new pass (a start, a task moving here) goes through the store again, since an instance of an older version may have
 * held the partition meanwhile, during a rolling upgrade. A record already filed costs a read.
 */
public final class IndexPass<V> {

    private final StoreSweep<V> sweep;
    private final PruneIndex index;
    /** Once through the store, the pass is over: a sweep would go round again. */
    private boolean through;

    public IndexPass(KeyValueStore<String, V> store, PruneIndex index) {
        this.sweep = new StoreSweep<>(store);
        this.index = index;
    }

    /**
     * Files, among the next {@code max} records of the pass, those the index lacks.
     *
     * @param dueAt when the index files a record, as the code that writes the record files it; empty: not filed
     */
    public void fileSome(int max, Function<V, Optional<Instant>> dueAt) {
        if (through) {
            return;
        }
        Picked<V> read = sweep.next((key, value) -> {
            dueAt.apply(value).filter(at -> !index.isFiled(key, at)).ifPresent(at -> index.file(key, at));
            return true;
        }, max);
        through = !read.stoppedShort();
    }
}
