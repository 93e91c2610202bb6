package io.agentmediator.benchmarks;

import io.agentmediator.bench.Fleet;
import io.agentmediator.bench.IntentMix;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.Policy;
import io.agentmediator.registry.CachingSchemaRegistryClient;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole topology per intent, in a {@link TopologyTestDriver}: the record as an agent sends it
 * (key and Avro value in the wire format, serialized before measuring) piped into
 * {@code agent.intents}, decoded through the schema registry client, decided by the agent gate
 * against its RocksDB stores, and the decision, the case file and the case's owner written to
 * their topics and stores. Built as
 * the backtest builds it, with the production streams settings (exactly-once). One thread, so the
 * score is records decided per second per core. {@link Registry} says which schema registry client
 * the serdes use: the mock the backtest uses, or the same behind production's cache.
 *
 * <p>Only intents are sent: no outcomes settle the reservations of executed intents, so ledgers
 * grow with every intent an agent is admitted, and each iteration starts on fresh stores to keep
 * that growth bounded by what one iteration decides. The records are {@value #PASSES} passes of
 * the mix, each with intent ids of its own and five weeks later than the one before (into fresh
 * budget windows), so no record is a duplicate: an iteration at up to about 20,000 records a
 * second never sees one twice. A faster one starts over on fresh stores, and pays for that inside
 * the measurement, rather than send an intent id again while its ledger still holds its
 * reservation, which the gate answers DUPLICATE: cheap, and not the work being measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Errors only from Kafka: each new driver warns about its temporary state directory and the
// global exception handler, in between JMH's iteration lines.
@Fork(value = 1, jvmArgsAppend = "-DKAFKA_LOG_LEVEL=ERROR")
@Threads(1)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
public class TopologyBenchmark {

    /** Records per invocation. */
    static final int BATCH = 1_000;
    static final int PASSES = 4;
    static final Duration PASS_SHIFT = Duration.ofDays(35);

    /** The schema registry client the serdes use. */
    @Param
    public Registry registry;

    private Topics topics;
    private Topology topology;
    private List<Intent> intents;
    private BenchmarkDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private List<Output> outputs;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<byte[], byte[]> caseFiles;
    private TestOutputTopic<byte[], byte[]> caseOwners;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Fleet fleet = Fleet.standard();
        Policy policy = fleet.policy();
        topics = new Topics("agent.", registry.client());
        topology = MediatorTopology.build(TopologyParts.of(
                MediatorConfig.defaults(), topics, new CurrentPolicy(policy), new HealthState(), UnaryOperator.identity()));
        intents = new ArrayList<>(PASSES * GateDeciderBenchmark.MIX);
        for (int pass = 0; pass < PASSES; pass++) {
            Duration shift = PASS_SHIFT.multipliedBy(pass);
            for (IntentMix.TimedIntent timed : IntentMix.generate(fleet, GateDeciderBenchmark.MIX, GateDeciderBenchmark.SEED + pass)) {
                AgentIntent intent = timed.intent();
                intents.add(new Intent(
                        intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                        topics.intentSerde().serializer().serialize(topics.intents().name(), intent),
                        timed.at().plus(shift)));
            }
        }
    }

    @Setup(Level.Iteration)
    public void startDriver() {
        driver = new BenchmarkDriver(topology, IntentMix.START);
        input = driver.input(topics.intents());
        outputs = List.of(
                new Output(DecisionOutcome.EXECUTE, driver.output(topics.execute())),
                new Output(DecisionOutcome.ESCALATE, driver.output(topics.escalate())),
                new Output(DecisionOutcome.REJECT, driver.output(topics.reject())));
        deadLetters = driver.output(topics.intentsDlq());
        caseFiles = driver.output(topics.audit());
        caseOwners = driver.output(topics.caseOwners());
        next = 0;
    }

    @TearDown(Level.Iteration)
    public void stopDriver() {
        driver.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public OutcomeTally pipe(ThreadCpu cpu) {
        long start = cpu.start();
        for (int i = 0; i < BATCH; i++) {
            pipeNext();
        }
        OutcomeTally tally = drain();
        cpu.stop(start);
        return tally;
    }

    private void pipeNext() {
        if (next == intents.size()) {
            stopDriver();
            startDriver();
        }
        Intent intent = intents.get(next++);
        input.pipeInput(new TestRecord<>(intent.key(), intent.value(), new RecordHeaders(), intent.at()));
    }

    /**
     * Empties the topics the topology writes, which the driver otherwise keeps in memory for the
     * whole iteration (case-owners too, although the topology reads it back itself); read as
     * bytes, so no time goes into decoding what the topology wrote.
     */
    private OutcomeTally drain() {
        OutcomeTally tally = new OutcomeTally();
        for (Output output : outputs) {
            tally.add(output.outcome(), output.topic().readRecordsToList().size());
        }
        tally.addDeadLetters(deadLetters.readRecordsToList().size());
        caseFiles.readRecordsToList();
        caseOwners.readRecordsToList();
        return tally;
    }


    /** Which registry client the serdes ask for schema ids. */
    public enum Registry {

        /** The in-memory registry alone, as the backtest, the demo and {@code run --embedded} use it. */
        MOCK,
        /**
         * The same behind the cache production puts in front of its HTTP registry client, which
         * answers a serializer from memory after the first record of each schema.
         */
        CACHED_MOCK;

        SchemaRegistryClient client() {
            InMemorySchemaRegistry mock = new InMemorySchemaRegistry("benchmark");
            return this == MOCK ? mock : new CachingSchemaRegistryClient(mock);
        }
    }

    /** An intent record as an agent sends it, and its timestamp. */
    private record Intent(byte[] key, byte[] value, Instant at) {}

    /** A decision topic and the outcome it carries. */
    private record Output(DecisionOutcome outcome, TestOutputTopic<byte[], byte[]> topic) {}
}
