package io.agentmediator.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.agentmediator.bench.BenchOptions;
import io.agentmediator.bench.BenchRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench}: the mediator's throughput against a pass-through on the same cluster, then its latency. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Measures a pass-through Kafka Streams app (the mediator's streams settings, exactly-once) and then the",
            "mediator over the same pre-produced intents, each until its last output is visible read_committed;",
            "then the mediator's end-to-end latency at a fixed rate. Embedded broker unless --config names a cluster.",
            "Ends with: ratio: mediator/passthrough throughput = X.XXX"
        })
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of a real cluster (see README: Configuration); default: an embedded broker.")
    Path config;

    @Option(names = "--agents", defaultValue = "1000", description = "Agents in the fleet (default ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--intents", defaultValue = "20000", description = "Intents for the throughput phases (default ${DEFAULT-VALUE}).")
    int intents;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of every topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads of each app, num.stream.threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--claims-pct", defaultValue = "0", description = "Per cent of intents claiming a resource (default ${DEFAULT-VALUE}).")
    int claimsPct;

    @Option(names = "--pool", description = "Agents also spend from their department's shared budget pool.")
    boolean pool;

    @Option(names = "--seed", defaultValue = "20261123", description = "Seed of the intent mix (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "0", description = "Intents per second in the latency phase; 0: half the mediator's measured throughput (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--latency-duration", defaultValue = "PT20S", description = "How long intents are offered at --rate (default ${DEFAULT-VALUE}).")
    Duration latencyDuration;

    @Option(names = "--timeout", defaultValue = "PT10M", description = "How long any one phase may take (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--records", description = "After the mediator's throughput phase, count what it wrote per intent decided, by topic (changelogs included).")
    boolean census;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "N", description = "Intents both apps first process untimed, on topics of their own, so the measured phases run on a warm JVM (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--write-floor", description = "After the latency phase, time an app that only writes what the census found the mediator writing per intent (implies --records).")
    boolean writeFloor;

    @Override
    public Integer call() throws Exception {
        BenchOptions options = new BenchOptions(config, agents, intents, partitions, threads, claimsPct, pool, seed, rate,
                latencyDuration, timeout, census, warmup, writeFloor);
        quietMediatorLogs();
        new BenchRun(options, spec.commandLine().getOut()).run();
        return 0;
    }

    /**
     * The mediator's start-up lines (the topology, the key, the policy) would bury the progress
     * lines; MEDIATOR_LOG_LEVEL still decides when it is set.
     */
    private static void quietMediatorLogs() {
        if (System.getenv("MEDIATOR_LOG_LEVEL") == null && System.getProperty("MEDIATOR_LOG_LEVEL") == null
                && LoggerFactory.getLogger("io.agentmediator") instanceof Logger mediatorLogger) {
            mediatorLogger.setLevel(Level.WARN);
        }
    }
}
