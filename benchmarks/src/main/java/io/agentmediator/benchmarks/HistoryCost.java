package io.agentmediator.benchmarks;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.CachingSchemaRegistryClient;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Does deciding an intent cost more once much has been decided before it? The whole topology (a
 * {@link BenchmarkDriver}, real RocksDB stores) decides one calendar month of traffic, and the CPU
 * time of each block of intents is printed: the last block must cost what the first did. Three kinds
 * of history: one agent's MONTH budget with every admitted intent's reservation still open (nobody
 * reports outcomes), twenty agents charging one shared pool, and one resource booked for the half
 * hour after each intent, so it always has holds and gains and loses them all month. The driver's
 * wall clock follows event time, so housekeeping runs as it would live.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.agentmediator.benchmarks.HistoryCost [intents] [block]}
 * (defaults 100000 and 10000); a block of each kind runs first as warm-up and is not counted; each block's
 * figure is the median of its ten parts (the mean is printed beside it); the last line per kind reads
 * {@code <kind>: last/first = X.XX}, of the medians.
 */
public final class HistoryCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /**
     * Each block is timed in this many parts and reported as their median: on a machine shared with other
     * builds, a part that a neighbour slowed down (caches, a shared core) moves the median little, while a
     * cost that grows with history moves every part.
     */
    private static final int PARTS = 10;
    private static final YearMonth MONTH = YearMonth.of(2026, 10);
    private static final Instant START = MONTH.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    private static final Duration LENGTH = Duration.between(START, MONTH.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    private static final String POLICY = """
            version: "history-cost"
            defaults: { minConfidence: 0.5, conflictTier: MANAGER }
            tiers: [MANAGER]
            agents:
              - { id: solo, capabilities: { actions: ["*"], targets: ["*"] }, budgets: [ { window: MONTH, limitMicros: 1000000000000 }, { window: DAY, limitMicros: 1000000000000 } ] }
              - { id: booker, capabilities: { actions: ["*"], targets: ["*"] } }
            %s
            pools:
              - { id: shared, budgets: [ { window: MONTH, limitMicros: 1000000000000 } ] }
            resources:
              - { pattern: "line:*", capacity: 1000000 }
            """;

    /** What the history is made of. */
    enum Kind {
        BUDGET, POOL, RESOURCE
    }

    private HistoryCost() {}

    public static void main(String[] args) {
        int intents = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int block = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        // One block of each kind first, on stores of its own and not counted, so the first counted block does
        // not also pay for JIT compilation and reads as what a warm mediator pays.
        for (Kind kind : Kind.values()) {
            System.out.printf(Locale.ROOT, "warm-up, not counted:%n");
            run(kind, block, block);
        }
        for (Kind kind : Kind.values()) {
            List<Double> costs = run(kind, intents, block);
            System.out.printf(Locale.ROOT, "%s: last/first = %.2f%n", kind.name().toLowerCase(Locale.ROOT),
                    costs.get(costs.size() - 1) / costs.get(0));
        }
    }

    /** Microseconds of CPU per intent for each block, printed as it goes; every intent must be executed. */
    static List<Double> run(Kind kind, int intents, int block) {
        StringBuilder members = new StringBuilder();
        for (int a = 0; a < 20; a++) {
            members.append("  - { id: member-").append(a).append(", capabilities: { actions: [\"*\"], targets: [\"*\"] }, pool: shared }\n");
        }
        Topics topics = new Topics("agent.", new CachingSchemaRegistryClient(new InMemorySchemaRegistry("history-cost-" + kind)));
        var topology = MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics,
                new CurrentPolicy(PolicyParser.parse("history-cost.yaml", POLICY.formatted(members)).policy()), new HealthState(),
                UnaryOperator.identity()));
        long spacing = LENGTH.toMillis() / intents;
        List<Double> costs = new ArrayList<>();
        try (BenchmarkDriver driver = new BenchmarkDriver(topology, START)) {
            TestInputTopic<byte[], byte[]> input = driver.input(topics.intents());
            Map<DecisionOutcome, TestOutputTopic<byte[], byte[]>> decisions = new EnumMap<>(Map.of(
                    DecisionOutcome.EXECUTE, driver.output(topics.execute()),
                    DecisionOutcome.ESCALATE, driver.output(topics.escalate()),
                    DecisionOutcome.REJECT, driver.output(topics.reject())));
            List<TestOutputTopic<byte[], byte[]>> others = List.of(driver.output(topics.audit()), driver.output(topics.caseOwners()),
                    driver.output(topics.intentsDlq()));
            int part = Math.max(1, block / PARTS);
            for (int done = 0; done < intents; done += block) {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long blockCpu = cpu;
                List<Double> parts = new ArrayList<>();
                for (int i = done; i < Math.min(intents, done + block); i++) {
                    if (i > done && (i - done) % part == 0) {
                        long now = THREADS.getCurrentThreadCpuTime();
                        parts.add((now - cpu) / 1_000.0 / part);
                        cpu = now;
                    }
                    Instant at = START.plusMillis(spacing * i);
                    AgentIntent intent = intent(kind, i, at);
                    input.pipeInput(new TestRecord<>(intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                            topics.intentSerde().serializer().serialize(topics.intents().name(), intent), new RecordHeaders(), at));
                    if (i % 100 == 99) {
                        driver.driver().advanceWallClockTime(Duration.ofMillis(spacing * 100));
                        others.forEach(TestOutputTopic::readRecordsToList);
                        int notExecuted = decisions.get(DecisionOutcome.ESCALATE).readRecordsToList().size()
                                + decisions.get(DecisionOutcome.REJECT).readRecordsToList().size();
                        decisions.get(DecisionOutcome.EXECUTE).readRecordsToList();
                        if (notExecuted > 0) {
                            throw new IllegalStateException(kind + ": " + notExecuted + " intents not executed near intent " + i);
                        }
                    }
                }
                long end = THREADS.getCurrentThreadCpuTime();
                int inBlock = Math.min(intents, done + block) - done;
                parts.add((end - cpu) / 1_000.0 / (inBlock - part * parts.size()));
                double median = median(parts);
                costs.add(median);
                System.out.printf(Locale.ROOT, "%s intents %d-%d: %.1f us/intent (CPU, median of %d parts; mean %.1f)%n",
                        kind.name().toLowerCase(Locale.ROOT), done + 1, done + inBlock, median, parts.size(), (end - blockCpu) / 1_000.0 / inBlock);
            }
        }
        return costs;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static AgentIntent intent(Kind kind, int n, Instant at) {
        AgentIntent.Builder intent = AgentIntent.newBuilder().setIntentId(UUID.nameUUIDFromBytes(("history-" + n).getBytes(StandardCharsets.UTF_8))
                .toString()).setAction("llm.call").setTarget("llm:small").setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.9);
        return switch (kind) {
            case BUDGET -> intent.setAgentId("solo").build();
            case POOL -> intent.setAgentId("member-" + (n % 20)).build();
            case RESOURCE -> intent.setAgentId("booker")
                    .setClaims(List.of(new ResourceClaim("line:1", 1L, at, at.plus(Duration.ofMinutes(30))))).build();
        };
    }
}
