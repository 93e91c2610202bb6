package io.agentmediator.benchmarks;

import io.agentmediator.app.StreamsSettings;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.topics.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A {@link TopologyTestDriver} on the production streams settings with a state directory of its own,
 * removed when closed, so every iteration starts on fresh RocksDB stores. Topics are spoken as bytes:
 * no time goes into decoding what the topology wrote.
 */
final class BenchmarkDriver implements AutoCloseable {

    private final Path stateDir;
    private final TopologyTestDriver driver;

    BenchmarkDriver(Topology topology, Instant start) {
        try {
            stateDir = Files.createTempDirectory("agent-mediator-benchmark-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties settings = StreamsSettings.of(MediatorConfig.defaults());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, settings, start);
    }

    TopologyTestDriver driver() {
        return driver;
    }

    TestInputTopic<byte[], byte[]> input(TopicSpec<?, ?> topic) {
        return driver.createInputTopic(topic.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    TestOutputTopic<byte[], byte[]> output(TopicSpec<?, ?> topic) {
        return driver.createOutputTopic(topic.name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + stateDir, e);
        }
    }
}
