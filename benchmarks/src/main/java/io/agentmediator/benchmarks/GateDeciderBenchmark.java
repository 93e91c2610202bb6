package io.agentmediator.benchmarks;

import io.agentmediator.bench.Fleet;
import io.agentmediator.bench.IntentMix;
import io.agentmediator.gate.GateDecider;
import io.agentmediator.gate.GateInput;
import io.agentmediator.gate.GateResult;
import io.agentmediator.gate.InMemoryGateState;
import io.agentmediator.policy.Policy;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.serde.AvroSerializer;
import io.agentmediator.schema.AgentIntent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure decision: {@link GateDecider#decide} over the {@link IntentMix}, with the gate's state
 * in memory, under the {@link Fleet}'s policy of 1,000 agents and ten CEL rules. One thread, so
 * the score is decisions per second per core; what it leaves out of the production cost of a
 * record (Avro decoding, RocksDB stores, the decision and case file written out) the
 * {@link TopologyBenchmark} puts back.
 *
 * <p>The state starts empty and is cleared whenever the mix starts over, so each pass through it
 * decides the same way: no intent is a duplicate, and the tight budgets run out at the same
 * points every time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
public class GateDeciderBenchmark {

    /** Decisions per invocation. */
    static final int BATCH = 1_000;
    /** Intents in the mix: 50 per agent, about fourteen hours of one a second. */
    static final int MIX = 50_000;
    static final long SEED = 20261123L;

    private final GateDecider decider = new GateDecider();
    private List<GateInput> inputs;
    private InMemoryGateState state;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Fleet fleet = Fleet.standard();
        Policy policy = fleet.policy();
        // The exact bytes an agent would send; only signature checks read them, but the input carries them as in production.
        AvroSerializer<AgentIntent> serializer = new AvroSerializer<>(new InMemorySchemaRegistry("benchmark"));
        RecordHeaders noHeaders = new RecordHeaders();
        inputs = new ArrayList<>(MIX);
        for (IntentMix.TimedIntent timed : IntentMix.generate(fleet, MIX, SEED)) {
            AgentIntent intent = timed.intent();
            byte[] value = serializer.serialize("agent.intents", intent);
            inputs.add(new GateInput(intent.getAgentId(), intent, value, noHeaders, timed.at(), policy, null));
        }
        state = new InMemoryGateState();
        next = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public OutcomeTally decide(ThreadCpu cpu) {
        long start = cpu.start();
        OutcomeTally tally = new OutcomeTally();
        for (int i = 0; i < BATCH; i++) {
            tally.add(decideNext().verdict().outcome(), 1);
        }
        cpu.stop(start);
        return tally;
    }

    /** Decides the next intent of the mix and keeps the state it leaves; starts the mix over, state and all, at its end. */
    GateResult decideNext() {
        if (next == inputs.size()) {
            next = 0;
            state.clear();
        }
        GateInput input = inputs.get(next++);
        GateResult result = decider.decide(input, state);
        state.apply(input.intent().getIntentId(), input.intent().getAgentId(), result);
        return result;
    }
}
