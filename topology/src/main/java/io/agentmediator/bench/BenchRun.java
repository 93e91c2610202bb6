package io.agentmediator.bench;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code bench}: the mediator against a pass-through over the same input on the same cluster.
 *
 * <ol>
 *   <li>The fleet's intents are serialized and produced before either clock starts.</li>
 *   <li>The pass-through copies them, then the mediator decides them, each as a fresh application
 *       (its own id, so its own consumer group and internal topics), each timed from RUNNING until
 *       its last output is visible to a {@code read_committed} consumer.</li>
 *   <li>The mediator, still running, is offered new intents at a fixed rate; each decision's
 *       latency runs from its record timestamp (the intent's, set when it was sent) to when it was
 *       visible {@code read_committed}.</li>
 * </ol>
 * Every run uses topics and application ids of its own, so a real cluster keeps nothing from an
 * earlier run (and the run deletes what it made).
 */
public final class BenchRun {

    /** Event time between the throughput phase's intents: the whole mix within minutes of one day. */
    static final Duration EVENT_SPACING = Duration.ofMillis(10);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    /** As the mediator's own close: the streams' threads finish their last commit. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final BenchOptions options;
    private final PrintWriter out;

    public BenchRun(BenchOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Runs every phase; prints progress, then the table, and last the ratio line. */
    public BenchReport run() throws IOException, InterruptedException {
        out.printf(Locale.ROOT, "bench: %d agents, %d intents, %d partitions, %d stream thread(s), %d%% claiming, pools %s, seed %d%n",
                options.agents(), options.intents(), options.partitions(), options.threads(), options.claimsPct(),
                options.pool() ? "on" : "off", options.seed());
        Path workDir = Files.createTempDirectory("agent-mediator-bench-");
        BenchReport report;
        try {
            if (options.config() == null) {
                try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(options.partitions()).start()) {
                    out.println("embedded Kafka broker at " + broker.bootstrapServers());
                    report = run(Map.of(ConfigKeys.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers()), workDir);
                }
            } else {
                report = run(Map.of(), workDir);
            }
        } finally {
            BenchFiles.deleteRecursively(workDir);
        }
        report.print(out);
        return report;
    }

    private BenchReport run(Map<String, String> wiring, Path workDir) throws IOException, InterruptedException {
        if (options.warmup() > 0) {
            out.printf(Locale.ROOT, "warm-up: %d intents through both apps, untimed%n", options.warmup());
            warmUp(configure(wiring, workDir));
            out.println("warm-up done; the measured run starts");
        }
        return run(configure(wiring, workDir));
    }

    private MediatorConfig configure(Map<String, String> wiring, Path workDir) throws IOException {
        String runId = "bench-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replaceAll("[^0-9]", "")
                + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        Fleet fleet = Fleet.of(options.agents(), options.pool());
        Path policy = Files.writeString(workDir.resolve("policy.yaml"), fleet.policyYaml());
        Map<String, String> overrides = new HashMap<>(wiring);
        overrides.put(ConfigKeys.TOPIC_PREFIX.name(), runId + ".");
        overrides.put(ConfigKeys.TOPIC_PARTITIONS.name(), Integer.toString(options.partitions()));
        overrides.put(ConfigKeys.APPLICATION_ID.name(), "agent-mediator-" + runId);
        // A run's apps are never restarted: static membership (a pod's instance.id) would only keep their groups on the
        // cluster after the run, until their sessions time out.
        overrides.put(ConfigKeys.INSTANCE_ID.name(), "");
        overrides.put(ConfigKeys.STATE_DIR.name(), workDir.resolve("state").toString());
        overrides.put(ConfigKeys.POLICY_FILE.name(), policy.toString());
        overrides.put(ConfigKeys.HTTP_PORT.name(), "0");
        // The fleet's intents are produced ahead, spaced in event time as if sent at a steady pace; broker time would squeeze them into a burst.
        overrides.put(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE.name(), "CreateTime");
        overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(options.threads()));
        // The record census reads what went through the topics in transit after the run: kept for it, not deleted once read.
        overrides.put(ConfigKeys.TOPIC_INTERNAL_PURGE_INTERVAL.name(), "P1D");
        return MediatorConfig.load(options.config(), overrides);
    }

    /** Both throughput phases over a run of their own (a different seed, so no intent is shared), nothing reported. */
    private void warmUp(MediatorConfig config) throws InterruptedException {
        Round round = new Round(config);
        try (BenchTopics benchTopics = round.createTopics()) {
            produce(config, round.records(options.warmup(), options.seed() - 1));
            passThrough(config, round.input, round.copy, options.warmup());
            MediatorConfig mediatorConfig = appConfig(config, "mediator");
            try (MediatorApp mediator = MediatorApp.start(mediatorConfig, new HealthState())) {
                throughput(mediatorConfig, round.decisions(), mediator::awaitRunning, options.warmup());
            }
        }
    }

    private BenchReport run(MediatorConfig config) throws InterruptedException {
        Round round = new Round(config);
        try (BenchTopics benchTopics = round.createTopics()) {
            produce(config, round.records(options.intents(), options.seed()));

            BenchReport.Throughput passThrough = passThrough(config, round.input, round.copy, options.intents());
            BenchReport.Throughput decided;
            BenchReport.Latency latency;
            List<RecordCensus.Count> written = List.of();
            MediatorConfig mediatorConfig = appConfig(config, "mediator");
            try (MediatorApp mediator = MediatorApp.start(mediatorConfig, new HealthState())) {
                decided = throughput(mediatorConfig, round.decisions(), mediator::awaitRunning, options.intents());
                if (options.census() || options.writeFloor()) {
                    written = census(config, round.input);
                }
                double rate = options.rate() > 0 ? options.rate() : decided.perSecond() / 2;
                latency = new LatencyPhase(config, round.workload, round.input, round.decisions(), out)
                        .run(rate, options.latencyPhase(), options.seed() + 1, options.timeout());
            }
            BenchReport.Throughput floor = options.writeFloor() ? writeFloor(config, benchTopics, round.input, written) : null;
            return new BenchReport(passThrough, decided, latency, floor);
        }
    }

    /**
     * The census's records per intent written by {@link WriteFloorApp} over the same input, timed until the
     * last intent's records are visible: all of one intent's records commit together, so the topic written a
     * whole number of times per intent tells when.
     */
    private BenchReport.Throughput writeFloor(MediatorConfig config, BenchTopics benchTopics, String input,
                                              List<RecordCensus.Count> written) throws InterruptedException {
        String prefix = config.get(ConfigKeys.TOPIC_PREFIX) + "floor.";
        List<WriteFloorApp.Output> outputs = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            RecordCensus.Count count = written.get(i);
            outputs.add(new WriteFloorApp.Output(prefix + i, (double) count.records() / options.intents(),
                    (int) Math.round((double) count.bytes() / count.records())));
        }
        RecordCensus.Count timing = written.stream().filter(count -> count.records() % options.intents() == 0).findFirst()
                .orElseThrow(() -> new IllegalStateException("the write floor needs a topic the mediator wrote a whole number of"
                        + " times per intent (its audit, its dedupe changelog); the census found none: " + written));
        long expected = timing.records();
        String timed = outputs.get(written.indexOf(timing)).topic();
        benchTopics.createPlain(outputs.stream().map(WriteFloorApp.Output::topic).toList());
        out.printf(Locale.ROOT, "floor: %d topics, %.3f records and %.0f bytes an intent, timed on %s (%d records)%n",
                outputs.size(), outputs.stream().mapToDouble(WriteFloorApp.Output::perIntent).sum(),
                written.stream().mapToLong(RecordCensus.Count::bytes).sum() / (double) options.intents(), timed, expected);
        MediatorConfig app = appConfig(config, "floor");
        KafkaStreams streams = WriteFloorApp.create(app, input, outputs);
        try {
            streams.start();
            return throughput(app, List.of(timed), timeout -> awaitRunning(streams, timeout), expected, options.intents());
        } finally {
            leave(streams);
        }
    }

    /**
     * What the mediator wrote for the intents it decided: every topic of the run's prefix but the input and the
     * pass-through's copy, and every internal topic of the mediator's application id (changelogs, repartitions).
     */
    private List<RecordCensus.Count> census(MediatorConfig config, String input) throws InterruptedException {
        String prefix = config.get(ConfigKeys.TOPIC_PREFIX);
        String mediatorId = appConfig(config, "mediator").get(ConfigKeys.APPLICATION_ID) + "-";
        String copy = prefix + "passthrough";
        List<RecordCensus.Count> counts = new RecordCensus(config.clientSettings()).take(
                topic -> topic.startsWith(mediatorId) || topic.startsWith(prefix) && !topic.equals(input) && !topic.equals(copy),
                options.timeout());
        RecordCensus.print(out, counts, options.intents(),
                topic -> topic.startsWith(mediatorId) ? topic.substring(mediatorId.length()) : topic.substring(prefix.length()));
        return counts;
    }

    /** One run of intents: the mediator's topics under the run's prefix, the fleet's workload, its input and the pass-through's copy. */
    private final class Round {
        private final MediatorConfig config;
        private final Topics topics;
        private final Workload workload;
        private final String input;
        private final String copy;

        Round(MediatorConfig config) {
            this.config = config;
            this.topics = Topics.of(config);
            this.workload = new Workload(Fleet.of(options.agents(), options.pool()), options.claimsPct(),
                    topics.intentSerde().serializer()::serialize);
            this.input = topics.intents().name();
            this.copy = config.get(ConfigKeys.TOPIC_PREFIX) + "passthrough";
        }

        /** Creates the run's topics; closing what it returns deletes them. */
        BenchTopics createTopics() {
            BenchTopics benchTopics = new BenchTopics(config, topics, copy, options.partitions());
            benchTopics.create();
            return benchTopics;
        }

        /** The fleet's intents, spaced in event time and ending a minute before now. */
        List<ProducerRecord<byte[], byte[]>> records(int count, long seed) {
            Instant start = Instant.now().minus(EVENT_SPACING.multipliedBy(count)).minusSeconds(60);
            return workload.records(input, count, seed, start, EVENT_SPACING);
        }

        List<String> decisions() {
            return topics.decisions().stream().map(TopicSpec::name).toList();
        }
    }

    private BenchReport.Throughput passThrough(MediatorConfig config, String input, String copy, int intents) throws InterruptedException {
        MediatorConfig app = appConfig(config, "passthrough");
        KafkaStreams streams = PassThroughApp.create(app, input, copy);
        try {
            streams.start();
            return throughput(app, List.of(copy), timeout -> awaitRunning(streams, timeout), intents);
        } finally {
            leave(streams);
        }
    }

    /** Closes an app leaving its group, as the mediator does without instance.id: its group can then be deleted. */
    private static void leave(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT));
    }

    private static MediatorConfig appConfig(MediatorConfig config, String app) {
        return config.with(ConfigKeys.APPLICATION_ID, config.get(ConfigKeys.APPLICATION_ID) + "-" + app);
    }

    /** Waits for the app to run, then until every intent has its output visible; prints how it goes. */
    private BenchReport.Throughput throughput(MediatorConfig app, List<String> outputs, Startup startup, int intents)
            throws InterruptedException {
        return throughput(app, outputs, startup, intents, intents);
    }

    /** As above, where the last intent is done once {@code expected} records are visible on {@code outputs}. */
    private BenchReport.Throughput throughput(MediatorConfig app, List<String> outputs, Startup startup, long expected, int intents)
            throws InterruptedException {
        String applicationId = app.get(ConfigKeys.APPLICATION_ID);
        String name = applicationId.substring(applicationId.lastIndexOf('-') + 1);
        try (CommittedReader reader = new CommittedReader(app.clientSettings(), outputs, false)) {
            long launched = System.nanoTime();
            startup.awaitRunning(STARTUP_TIMEOUT);
            long running = System.nanoTime();
            long cpuAtStart = ProcessCpu.nanos();
            long streamCpuAtStart = ThreadCpu.streamThreadNanos(applicationId);
            long compilerAtStart = ThreadCpu.compilerMillis();
            out.printf(Locale.ROOT, "%s: running after %.1f s%n", name, seconds(running - launched));
            long giveUpAt = running + options.timeout().toNanos();
            long nextProgress = running + PROGRESS_INTERVAL.toNanos();
            while (reader.poll() < expected) {
                long now = System.nanoTime();
                if (now - giveUpAt >= 0) {
                    throw new IllegalStateException(name + ": only " + reader.seen() + " of " + expected
                            + " outputs visible after " + options.timeout());
                }
                if (now - nextProgress >= 0) {
                    out.printf(Locale.ROOT, "%s: %d/%d visible, %.0f/s%n", name, reader.seen(), expected,
                            reader.seen() / seconds(now - running));
                    nextProgress += PROGRESS_INTERVAL.toNanos();
                }
            }
            double seconds = seconds(System.nanoTime() - running);
            BenchReport.Throughput result = new BenchReport.Throughput(name, intents, seconds, options.threads(),
                    seconds(ProcessCpu.nanos() - cpuAtStart),
                    seconds(ThreadCpu.streamThreadNanos(applicationId) - streamCpuAtStart),
                    (ThreadCpu.compilerMillis() - compilerAtStart) / 1e3);
            out.printf(Locale.ROOT, "%s: %d visible in %.3f s, %.1f/s, %.0f us CPU a record (stream threads %.0f us, busy %.0f %% of"
                            + " %d thread(s); JIT compiling %.1f s)%n", name, result.records(), seconds, result.perSecond(),
                    result.cpuMicrosPerRecord(), result.streamMicrosPerRecord(), 100 * result.streamBusy(),
                    options.threads(), result.compilerSeconds());
            return result;
        }
    }

    private void produce(MediatorConfig config, List<ProducerRecord<byte[], byte[]>> records) {
        long started = System.nanoTime();
        try (BenchProducer producer = new BenchProducer(config.clientSettings())) {
            records.forEach(producer::send);
            producer.flush();
        }
        out.printf(Locale.ROOT, "produced %d intents in %.1f s (before any clock starts)%n", records.size(),
                seconds(System.nanoTime() - started));
    }

    private static void awaitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("the pass-through stopped while starting: " + streams.state());
            }
            if (System.nanoTime() - giveUpAt >= 0) {
                throw new IllegalStateException("the pass-through is not RUNNING after " + timeout);
            }
            Thread.sleep(10);
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Starting an app: returns once it runs. */
    @FunctionalInterface
    private interface Startup {
        void awaitRunning(Duration timeout) throws InterruptedException;
    }
}
