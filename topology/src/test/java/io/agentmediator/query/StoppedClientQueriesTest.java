package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query that reaches an instance whose Kafka Streams client stops meanwhile (a pod shutting down) is unavailable, which
 * the HTTP layer answers 503 with Retry-After: ScalingOutIT met Kafka's IllegalStateException as a 500 once, when the
 * client moved to PENDING_SHUTDOWN between the query's check and its read.
 */
class StoppedClientQueriesTest {

    @TempDir Path stateDir;

    @Test
    void shouldFindTheStoresAndPlacementOfAStoppedClientUnavailableNotFaulty() {
        // Given a client that ran no further than being closed
        try (KafkaStreams streams = closedClient()) {
            // When its stores and placement are read, then each is unavailable, which QueryHandler answers 503
            StreamsLocalStores stores = new StreamsLocalStores(streams);
            Peers peers = new Peers(streams, new HostInfo("localhost", 8080), Optional::empty);
            assertThatThrownBy(() -> stores.all("budgets")).isInstanceOf(InvalidStateStoreException.class)
                    .hasMessageContaining("not running");
            assertThatThrownBy(() -> stores.partition("budgets", 0)).isInstanceOf(InvalidStateStoreException.class);
            assertThatThrownBy(() -> peers.locate("budgets", "agent-01"))
                    .isInstanceOf(InvalidStateStoreException.class);
            assertThatThrownBy(peers::others).isInstanceOf(InvalidStateStoreException.class);
        }
    }

    private KafkaStreams closedClient() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("in", Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("budgets"));
        Properties settings = new Properties();
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "stopped-client-queries");
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        KafkaStreams streams = new KafkaStreams(builder.build(), settings);
        streams.close();
        return streams;
    }
}
