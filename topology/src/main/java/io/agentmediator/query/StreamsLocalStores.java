package io.agentmediator.query;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The running client's local stores through interactive queries. Only active tasks are read (no
 * standbys, the default), so summing what every instance reports counts each partition once. Throws
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while stores are migrating, or the client is not running.
 */
public final class StreamsLocalStores implements LocalStores {

    private final KafkaStreams streams;

    public StreamsLocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> all(String storeName) {
        return RunningClient.read(streams,
                () -> streams.store(StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore())));
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> partition(String storeName, int partition) {
        return RunningClient.read(streams, () -> streams.store(
                StoreQueryParameters.fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition)));
    }
}
