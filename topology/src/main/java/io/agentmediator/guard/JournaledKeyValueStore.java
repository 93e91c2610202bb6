package io.agentmediator.guard;

import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A key-value store that tells its {@link WriteJournal} how to undo each write before making it. */
final class JournaledKeyValueStore<K, V> extends JournaledStore implements KeyValueStore<K, V> {

    private final KeyValueStore<K, V> store;

    JournaledKeyValueStore(KeyValueStore<K, V> store, WriteJournal journal) {
        super(store, journal);
        this.store = store;
    }

    private void remember(K key) {
        V before = store.get(key);
        journal.written(before == null ? () -> store.delete(key) : () -> store.put(key, before));
    }

    @Override
    public void put(K key, V value) {
        remember(key);
        store.put(key, value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        remember(key);
        return store.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        for (KeyValue<K, V> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public V delete(K key) {
        remember(key);
        return store.delete(key);
    }

    @Override
    public V get(K key) {
        return store.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return store.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return store.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return store.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return store.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return store.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return store.approximateNumEntries();
    }
}
