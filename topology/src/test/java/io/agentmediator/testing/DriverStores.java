package io.agentmediator.testing;

import io.agentmediator.query.LocalStores;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** A test driver's stores as the interactive queries see them; the driver has a single partition. */
public final class DriverStores implements LocalStores {

    private final TopologyTestDriver driver;

    public DriverStores(TopologyTestDriver driver) {
        this.driver = driver;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> all(String storeName) {
        return driver.getKeyValueStore(storeName);
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> partition(String storeName, int partition) {
        if (partition != 0) {
            throw new IllegalArgumentException("a test driver has partition 0 only, not " + partition);
        }
        return driver.getKeyValueStore(storeName);
    }
}
