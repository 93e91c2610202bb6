package io.agentmediator.query;

import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The entries of a store scanned from a thread other than the stream thread writing it: an HTTP query, a scrape. Kafka
 * Streams' in-memory stores ({@code open-escalations}, {@code kept-bytes-per-agent}) copy their keys when a scan starts
 * and read each value as the scan reaches it, with no lock between: a key the stream thread deletes meanwhile comes back
 * with a null value or, when it was the last one left, as a {@link NoSuchElementException} from {@code next()} after
 * {@code hasNext()} said there was one. Both mean the entry is gone since the scan began, as one begun a moment later
 * would not have seen it: it is skipped, and the scan goes on (over several tasks' stores, to the next store).
 */
public final class LiveEntries {

    private LiveEntries() {}

    /** Hands {@code action} every entry of {@code entries} still there when the scan reaches it. */
    public static <V> void forEach(KeyValueIterator<String, V> entries, BiConsumer<String, V> action) {
        while (entries.hasNext()) {
            KeyValue<String, V> entry;
            try {
                entry = entries.next();
            } catch (NoSuchElementException deletedSinceHasNext) {
                // The store's own iterator is exhausted now: hasNext() answers for what follows it.
                continue;
            }
            if (entry.value != null) {
                action.accept(entry.key, entry.value);
            }
        }
    }
}
