package io.agentmediator.demo;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The demo: a real broker in process, the real pipeline, simulated agents sending through the
 * real serdes, and a tally of what was committed. Ends with the summary line.
 */
public final class DemoRun {

    private static final Duration SPACING = Duration.ofMillis(1_500);

    private final int intents;
    private final long seed;
    private final Duration timeout;
    private final PrintStream out;

    public DemoRun(int intents, long seed, Duration timeout, PrintStream out) {
        this.intents = intents;
        this.seed = seed;
        this.timeout = timeout;
        this.out = out;
    }

    /** Runs the demo; returns the summary line. */
    public DemoSummary run(MediatorConfig base) throws InterruptedException {
        Path stateDir = temporaryDirectory();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config =
                    base.with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                            .with(ConfigKeys.STATE_DIR, stateDir.toString())
                            .with(ConfigKeys.HTTP_PORT, "0");
            out.println("embedded Kafka broker at " + broker.bootstrapServers());
            try (MediatorApp app = MediatorApp.start(config, new HealthState())) {
                app.awaitRunning(Duration.ofSeconds(60));
                out.println("pipeline running; health at http://127.0.0.1:" + app.httpPort() + "/health/ready");
                out.println(intents + " records from simulated agents");
                SimulatedAgents agents =
                        new SimulatedAgents(app.topics().intentSerde().serializer(), app.topics().intents().name(), seed);
                send(broker.bootstrapServers(), agents);
                try (DecisionTally tally = new DecisionTally(broker.bootstrapServers(), app.topics())) {
                    long seen = tally.awaitTotal(intents, timeout);
                    DemoSummary summary =
                            new DemoSummary(
                                    intents,
                                    tally.count("execute"),
                                    tally.count("escalate"),
                                    tally.count("reject"),
                                    tally.count("dlq"));
                    out.println("decisions by outcome and first reason:");
                    tally.breakdown().forEach(out::println);
                    if (seen != intents) {
                        throw new IllegalStateException(
                                "only " + seen + " of " + intents + " intents were decided within " + timeout + ": " + summary);
                    }
                    return summary;
                }
            }
        } finally {
            deleteRecursively(stateDir);
        }
    }

    private void send(String bootstrapServers, SimulatedAgents agents) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Agents act at human-ish pace in event time, ending now: rates and budgets then bite as they
        // would live, and no timestamp lies in the future, which brokers refuse.
        Instant start = Instant.now().minus(SPACING.multipliedBy(intents));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < intents; i++) {
                producer.send(agents.record(i, start.plus(SPACING.multipliedBy(i))));
            }
            producer.flush();
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("agent-mediator-demo-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + dir, e);
        }
    }
}
