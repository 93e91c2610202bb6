package io.agentmediator.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Goes round a store for what a check wants, a bounded number of picks a pass, each pass going on from where the last
 * one stopped. Resuming, rather than starting from the first key each pass, matters for what a check cannot decide: an
 * entry that fails every time (it is skipped, and stays) is read once a round, so it can never fill every pass and keep
 * the check coming back for it. Where the sweep is stays in memory: a task that starts begins a round.
 */
public final class StoreSweep<V> {

    private final KeyValueStore<String, V> store;
    /** The first key not looked at yet in this round: "" at its start. */
    private String from = "";

    public StoreSweep(KeyValueStore<String, V> store) {
        this.store = store;
    }

    /** Up to {@code max} entries {@code wanted} picks, from where the last pass stopped; at the end, the next round begins. */
    public Picked<V> next(BiPredicate<String, V> wanted, int max) {
        List<KeyValue<String, V>> picked = new ArrayList<>();
        try (KeyValueIterator<String, V> all = from.isEmpty() ? store.all() : store.range(from, null)) {
            while (picked.size() < max && all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                if (wanted.test(entry.key, entry.value)) {
                    picked.add(entry);
                }
            }
            boolean stoppedShort = all.hasNext();
            // The key right after the last one picked, in the stores' byte order: the same bytes and a zero byte.
            from = stoppedShort ? picked.get(picked.size() - 1).key + '\u0000' : "";
            return new Picked<>(picked, stoppedShort);
        }
    }

    /** The next pass starts a round from the first key, wherever this one was. */
    public void restart() {
        from = "";
    }
}
