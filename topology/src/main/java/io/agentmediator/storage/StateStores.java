package io.agentmediator.storage;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Where a store keeps its data between records: the two kinds of key-value store the mediator builds.
 * Both are backed by a changelog, so neither loses anything to a crash; they differ in what a restart
 * costs. Under exactly-once, a task that stopped uncleanly is restored from its changelogs whatever
 * its stores are, and opening a RocksDB store is what a restarted task spent most of its time on
 * (docs/RELIABILITY.md): a store that holds only what is in flight, or one small entry per agent,
 * restores faster than it opens.
 */
public final class StateStores {

    private StateStores() {}

    /**
     * In memory: for stores bounded by what is in flight (open escalations, waiting intents,
     * reservations) or by the number of agents, pools and windows, never by history.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> inFlight(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values);
    }

    /** In RocksDB: for stores that grow with the intents decided over a retention period. */
    public static <V> StoreBuilder<KeyValueStore<String, V>> lasting(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
