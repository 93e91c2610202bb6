package io.agentmediator.query;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Read access to the key-value stores of the partitions this instance is active for: the running
 * client's interactive queries in production, a test driver's stores in tests.
 */
public interface LocalStores {

    /** Every local active partition of the store, read together. */
    <V> ReadOnlyKeyValueStore<String, V> all(String storeName);

    /** One local partition of the store. */
    <V> ReadOnlyKeyValueStore<String, V> partition(String storeName, int partition);
}
