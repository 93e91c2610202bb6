package io.agentmediator.benchmarks;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.CachingSchemaRegistryClient;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
 * What a claim costs: the whole topology per intent, in a {@link TopologyTestDriver}, for intents
 * that claim 0, 1 or 3 resources, in one run so the three scores compare. An intent without claims
 * is decided in one hop; each claim adds a hop through the resource ledger (the request record, its
 * store read and write), and any claim adds the answer's hop back to the agent's partition.
 *
 * <p>{@value #AGENTS} agents with no rate limit, budget or pool, so the gate's own work is the same
 * for all three and small; many agents, because each agent's budget ledger keeps the reservation of
 * every executed intent until its executor reports it, and none report here. Each claim takes one of {@value #RESOURCES} resources (capacity
 * {@value #CAPACITY}) for a minute starting one to two minutes after the intent, so few conflict.
 * Event time moves {@value #SPACING_MS} ms per intent (100 intents a second) and the driver's wall
 * clock follows it every batch, so housekeeping runs as often per intent as it would at that rate
 * and drops holds whose minute has passed: the stores reach a steady size, as in production,
 * instead of growing for the whole run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-DKAFKA_LOG_LEVEL=ERROR")
@Threads(1)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
public class ClaimCostBenchmark {

    static final int BATCH = 1_000;
    static final int RESOURCES = 500;
    static final int CAPACITY = 100;
    static final long SPACING_MS = 10;
    static final int AGENTS = 1_000;
    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final String POLICY = """
            version: "claim-cost"
            defaults: { minConfidence: 0.5, conflictTier: MANAGER }
            tiers: [MANAGER]
            agents:
            %s
            resources:
              - { pattern: "desk:*", capacity: %d }
            """;

    /** Claims per intent. */
    @Param({"0", "1", "3"})
    public int claims;

    private Topics topics;
    private Topology topology;
    private BenchmarkDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private Map<DecisionOutcome, TestOutputTopic<byte[], byte[]>> decisions;
    private List<TestOutputTopic<byte[], byte[]>> others;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private SplittableRandom random;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() {
        StringBuilder agents = new StringBuilder();
        for (int a = 0; a < AGENTS; a++) {
            agents.append("  - { id: booker-").append(a).append(", department: ops, capabilities: { actions: [\"*\"], targets: [\"*\"] } }\n");
        }
        Policy policy = PolicyParser.parse("claim-cost.yaml", POLICY.formatted(agents, CAPACITY)).policy();
        topics = new Topics("agent.", new CachingSchemaRegistryClient(new InMemorySchemaRegistry("claim-cost")));
        topology = MediatorTopology.build(TopologyParts.of(
                MediatorConfig.defaults(), topics, new CurrentPolicy(policy), new HealthState(), UnaryOperator.identity()));
    }

    @Setup(Level.Iteration)
    public void startDriver() {
        driver = new BenchmarkDriver(topology, START);
        input = driver.input(topics.intents());
        decisions = new EnumMap<>(Map.of(
                DecisionOutcome.EXECUTE, driver.output(topics.execute()),
                DecisionOutcome.ESCALATE, driver.output(topics.escalate()),
                DecisionOutcome.REJECT, driver.output(topics.reject())));
        others = List.of(driver.output(topics.audit()), driver.output(topics.caseOwners()));
        deadLetters = driver.output(topics.intentsDlq());
        random = new SplittableRandom(20_261_121L);
        sent = 0;
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
            Instant at = START.plusMillis(sent * SPACING_MS);
            AgentIntent intent = intent(sent++, at);
            input.pipeInput(new TestRecord<>(intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                    topics.intentSerde().serializer().serialize(topics.intents().name(), intent), new RecordHeaders(), at));
        }
        driver.driver().advanceWallClockTime(Duration.ofMillis(BATCH * SPACING_MS));
        OutcomeTally tally = drain();
        cpu.stop(start);
        return tally;
    }

    /** The next intent: its agent, and {@link #claims} desks for a minute starting one to two minutes later. */
    AgentIntent intent(long n, Instant at) {
        List<ResourceClaim> desks = new ArrayList<>(claims);
        for (int c = 0; c < claims; c++) {
            Instant from = at.plusSeconds(60 + random.nextInt(60));
            desks.add(new ResourceClaim("desk:" + random.nextInt(RESOURCES), 1L, from, from.plusSeconds(60)));
        }
        return AgentIntent.newBuilder().setIntentId("claim-" + n).setAgentId("booker-" + (n % AGENTS)).setAction("desk.book")
                .setTarget("calendar").setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.9).setClaims(desks).build();
    }

    /** Reads what the topology wrote, so the driver does not keep it; the decision topics are counted. */
    private OutcomeTally drain() {
        OutcomeTally tally = new OutcomeTally();
        decisions.forEach((outcome, topic) -> tally.add(outcome, topic.readRecordsToList().size()));
        tally.addDeadLetters(deadLetters.readRecordsToList().size());
        others.forEach(TestOutputTopic::readRecordsToList);
        return tally;
    }

}
