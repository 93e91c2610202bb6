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

    /**
     * In memory, behind Kafka Streams' record cache: for the records that every intent of one agent or
     * pool writes again (its rate bucket, its window balances). Of several writes to one key between two
     * commits only the last reaches the changelog, and each changelog record is broker work the commit
     * waits for. The cache is flushed before every commit, so under exactly-once a commit makes visible
     * what it made visible without it; reads see the cached value.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> rewritten(String name, Serde<V> values) {
        return inFlight(name, values).withCachingEnabled();
    }

    /** In RocksDB: for stores that grow with the intents decided over a retention period. */
    public static <V> StoreBuilder<KeyValueStore<String, V>> lasting(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
