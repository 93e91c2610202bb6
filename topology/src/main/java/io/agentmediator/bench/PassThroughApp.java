package io.agentmediator.bench;

import io.agentmediator.app.StreamsSettings;
import io.agentmediator.config.MediatorConfig;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The yardstick: a Kafka Streams app that copies the intents' bytes to another topic, on the
 * mediator's own streams settings (exactly-once v2, the same threads and commit interval), so the
 * mediator is measured against what the pipe alone costs on the same cluster.
 */
final class PassThroughApp {

    private PassThroughApp() {
    }

    /** The copy from {@code input} to {@code output}, bytes in and bytes out. */
    static Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("passthrough-source"))
                .to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("passthrough-sink"));
        return builder.build();
    }

    /** A streams client for the copy, not yet started, configured as the mediator would be by {@code config}. */
    static KafkaStreams create(MediatorConfig config, String input, String output) {
        Properties props = StreamsSettings.of(config);
        return new KafkaStreams(topology(input, output), props);
    }
}
