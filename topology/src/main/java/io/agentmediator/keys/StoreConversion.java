package io.agentmediator.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store an older version kept, emptied into the newer layout: a key's old value is handed to
 * {@code into} and deleted the first time the key is touched, and housekeeping converts the rest a
 * batch at a time. Once the old store is empty, touching a key costs nothing.
 */
public final class StoreConversion<V> {

    private final KeyValueStore<String, V> old;
    private final BiConsumer<String, V> into;
    private boolean left;

    public StoreConversion(KeyValueStore<String, V> old, BiConsumer<String, V> into) {
        this.old = old;
        this.into = into;
        try (KeyValueIterator<String, V> any = old.all()) {
            left = any.hasNext();
        }
    }

    /** Converts the key's old value, if it still has one, before the new layout is read or written for it. */
    public void touch(String key) {
        if (left) {
            convert(key);
        }
    }

    /**
     * Converts up to {@code max} old values; whether more may be left. The old store counts as empty only once a pass finds
     * it so, not when a pass converted the last of it: that pass's writes are undone if the unit it runs in fails after it
     * (a punctuation that goes on to other work), and the values back in the old store would no longer be converted on touch.
     */
    public boolean convertSome(int max) {
        if (!left) {
            return false;
        }
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> all = old.all()) {
            while (all.hasNext() && keys.size() < max) {
                keys.add(all.next().key);
            }
        }
        if (keys.isEmpty()) {
            left = false;
            return false;
        }
        keys.forEach(this::convert);
        return true;
    }

    private void convert(String key) {
        V value = old.get(key);
        if (value != null) {
            into.accept(key, value);
            old.delete(key);
        }
    }
}
