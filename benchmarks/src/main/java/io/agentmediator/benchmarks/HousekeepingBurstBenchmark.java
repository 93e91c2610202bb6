package io.agentmediator.benchmarks;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.ledger.LedgerStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.CachingSchemaRegistryClient;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long the stream thread is held at the housekeeping check where a burst falls due together: {@link #burst} executed
 * bookings of one slot, each of a seat of its own, whose holds all end with the slot ({@link Kind#HOLDS}), or as many
 * executed intents reported at one moment, whose finished tasks the resource ledger forgets together
 * {@code case.retention} later ({@link Kind#TASKS}). Each invocation builds its burst on fresh RocksDB stores, untimed, and
 * times that one check (every punctuation due then, and the commit after them): what an intent arriving behind it waits.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-DKAFKA_LOG_LEVEL=ERROR")
@Warmup(iterations = 3)
@Measurement(iterations = 8)
public class HousekeepingBurstBenchmark {

    /** What falls due together. */
    public enum Kind { HOLDS, TASKS }

    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
    static final Duration HOUSEKEEPING = Duration.parse(ConfigKeys.HOUSEKEEPING_INTERVAL.defaultValue());
    /** How long finished tasks are kept (case.retention); an unreported booking's case, and its holds, for a month. */
    static final Duration RETENTION = Duration.ofMinutes(10);
    /** The slot's end, and the moment the intents were reported at plus the retention, both fall between two checks. */
    static final Instant SLOT_ENDS = START.plus(RETENTION).plusSeconds(5);
    private static final Instant DECIDED_AT = START.minusSeconds(60);
    private static final String POLICY = """
            version: "housekeeping-burst"
            # the outcomes are the setup's, untimed: unsigned, so the benchmark needs no executor's key
            signatures: { outcomes: OPTIONAL }
            agents:
              - id: booker
                capabilities: { actions: ["*"], targets: ["*"] }
            executors:
              - { id: executor-1, agents: ["*"] }
            """;

    @Param({"HOLDS", "TASKS"})
    public Kind kind;

    @Param({"10000"})
    public int burst;

    private Topics topics;
    private Topology topology;
    private BenchmarkDriver driver;

    @Setup(Level.Trial)
    public void setUp() {
        topics = new Topics("agent.", new CachingSchemaRegistryClient(new InMemorySchemaRegistry("housekeeping-burst")));
        topology = MediatorTopology.build(TopologyParts.of(
                MediatorConfig.defaults().with(ConfigKeys.CASE_RETENTION, kind == Kind.TASKS ? RETENTION.toString() : "P30D"), topics,
                new CurrentPolicy(PolicyParser.parse("housekeeping-burst.yaml", POLICY).policy()), new HealthState(),
                UnaryOperator.identity()));
    }

    /** The burst, decided and executed, and the wall clock moved to the last check before it falls due. */
    @Setup(Level.Invocation)
    public void build() {
        driver = new BenchmarkDriver(topology, START);
        TestInputTopic<byte[], byte[]> intents = driver.input(topics.intents());
        TestInputTopic<byte[], byte[]> outcomes = driver.input(topics.outcomes());
        // What the topology writes, read as it goes so that the driver does not keep it
        List<TestOutputTopic<byte[], byte[]>> written = Stream.concat(topics.decisions().stream(), Stream.of(topics.audit(),
                        topics.caseOwners(), topics.caseEvents(), topics.ledgerRequests(), topics.ledgerReplies(), topics.intentsPlaced(),
                        topics.outcomesPlaced())).<TestOutputTopic<byte[], byte[]>>map(driver::output).toList();
        for (int i = 0; i < burst; i++) {
            String intentId = "burst-" + i;
            AgentIntent.Builder intent = AgentIntent.newBuilder().setIntentId(intentId).setAgentId("booker").setAction("seat.book")
                    .setTarget("venue").setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95);
            if (kind == Kind.HOLDS) {
                intent.setClaims(List.of(new ResourceClaim("seat:" + i, 1L, DECIDED_AT, SLOT_ENDS)));
            }
            pipe(intents, "booker", topics.intentSerde().serializer().serialize(topics.intents().name(), intent.build()));
            if (kind == Kind.TASKS) {
                pipe(outcomes, intentId, topics.outcomeSerde().serializer().serialize(topics.outcomes().name(),
                        new Outcome(intentId, OutcomeStatus.COMPLETED, null, "executor-1", null, null, null)));
            }
            if (i % 1_000 == 999) {
                written.forEach(TestOutputTopic::readRecordsToList);
            }
        }
        written.forEach(TestOutputTopic::readRecordsToList);
        driver.driver().advanceWallClockTime(Duration.between(START, lastCheckBeforeDue()));
    }

    @TearDown(Level.Invocation)
    public void close() {
        driver.close();
    }

    /** The check at which the burst falls due; how many of it are left after. */
    @Benchmark
    public long check() {
        driver.driver().advanceWallClockTime(HOUSEKEEPING);
        return left();
    }

    /** What is left of the burst in its store. */
    long left() {
        KeyValueStore<String, Object> store = driver.driver().getKeyValueStore(kind == Kind.HOLDS ? LedgerStores.RESOURCE_HOLDS : LedgerStores.TASK_STATES);
        long count = 0;
        try (KeyValueIterator<String, Object> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }

    /** Checks run every {@link #HOUSEKEEPING} from {@link #START}: the last one before the burst is due. */
    private Instant lastCheckBeforeDue() {
        Instant due = kind == Kind.HOLDS ? SLOT_ENDS : DECIDED_AT.plus(RETENTION);
        long checks = Duration.between(START, due).toMillis() / HOUSEKEEPING.toMillis();
        Instant last = START.plus(HOUSEKEEPING.multipliedBy(checks));
        return last.equals(due) ? last.minus(HOUSEKEEPING) : last;
    }

    private static void pipe(TestInputTopic<byte[], byte[]> topic, String key, byte[] value) {
        topic.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(), DECIDED_AT));
    }
}
