package io.agentmediator.keys;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One pass through a store whose housekeeping reads only a {@link PruneIndex}, filing the records the index lacks:
 * records a version before the index wrote are in the store alone, and housekeeping would never visit them. A batch
 * at a time, so a large store does not hold up the stream thread. Where the pass is is kept in memory on purpose: each
 * new pass (a start, a task moving here) goes through the store again, since an instance of an older version may have
 * held the partition meanwhile, during a rolling upgrade. A record already filed costs a read.
 */
public final class IndexPass<V> {

    private final KeyValueStore<String, V> store;
    private final PruneIndex index;
    /** The first key not looked at yet: "" at the start, null once through the store. */
    private String from = "";

    public IndexPass(KeyValueStore<String, V> store, PruneIndex index) {
        this.store = store;
        this.index = index;
    }

    /**
     * Files, among the next {@code max} records of the pass, those the index lacks.
     *
     * @param dueAt when the index files a record, as the code that writes the record files it; empty: not filed
     */
    public void fileSome(int max, Function<V, Optional<Instant>> dueAt) {
        if (from == null) {
            return;
        }
        String last = null;
        int read = 0;
        try (KeyValueIterator<String, V> all = from.isEmpty() ? store.all() : store.range(from, null)) {
            while (read < max && all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                dueAt.apply(entry.value).filter(at -> !index.isFiled(entry.key, at)).ifPresent(at -> index.file(entry.key, at));
                last = entry.key;
                read++;
            }
            // The key right after the last one read, in the stores' byte order: the same bytes and a zero byte.
            from = all.hasNext() ? last + '\u0000' : null;
        }
    }
}
