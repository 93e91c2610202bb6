package io.agentmediator.guard;

import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A window store (one value per key and window start: duplicates not retained) that tells its
 * {@link WriteJournal} how to undo each write before making it.
 */
final class JournaledWindowStore<K, V> extends JournaledStore implements WindowStore<K, V> {

    private final WindowStore<K, V> store;

    JournaledWindowStore(WindowStore<K, V> store, WriteJournal journal) {
        super(store, journal);
        this.store = store;
    }

    @Override
    public void put(K key, V value, long windowStartTimestamp) {
        V before = store.fetch(key, windowStartTimestamp);
        // A null value removes the window's entry, which is what undoing a first write must do.
        journal.written(() -> store.put(key, before, windowStartTimestamp));
        store.put(key, value, windowStartTimestamp);
    }

    @Override
    public V fetch(K key, long time) {
        return store.fetch(key, time);
    }

    @Override
    public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
        return store.fetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        return store.fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
        return store.fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> all() {
        return store.all();
    }
}
