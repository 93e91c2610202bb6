package io.agentmediator.query;

import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Reads of the Kafka Streams client for queries. A client that is starting or shutting down knows no placement and no
 * stores: its queries answer 503 with Retry-After (a client retries, or asks another instance), rather than an error.
 */
final class RunningClient {

    private RunningClient() {}

    static void require(KafkaStreams streams) {
        KafkaStreams.State state = streams.state();
        if (!state.isRunningOrRebalancing()) {
            throw new InvalidStateStoreException("this instance is " + state + ", not running");
        }
    }

    /**
     * {@code read}, from a client that may stop meanwhile: Kafka Streams throws IllegalStateException for a client no longer
     * running (a pod shutting down while a query is in flight), which is then the instance being unavailable, not a fault.
     */
    static <T> T read(KafkaStreams streams, Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalStateException e) {
            KafkaStreams.State state = streams.state();
            if (state.isRunningOrRebalancing()) {
                throw e;
            }
            throw new InvalidStateStoreException("this instance is " + state + ", not running", e);
        }
    }
}
