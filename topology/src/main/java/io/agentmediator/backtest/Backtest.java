package io.agentmediator.backtest;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.Policy;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.Decision;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.Topology;

/**
 * Plays backtest events through the mediator's real topology, in process and without a broker, so
 * a policy author sees the decisions a policy would make before publishing it.
 *
 * <p>Time: the wall clock starts at the first event's {@code at}. Before each event it moves to that
 * event's {@code at}, so wall-clock timers due by then fire first, and a backlog they find (more than
 * a pass decides) is worked through before the record, as a running mediator's checks would have worked
 * through it before that record arrived; then the event's record (if it has one) is processed with
 * {@code at} as its timestamp, which moves stream time. Events must come in time order, as
 * {@link EventFileReader} guarantees.
 *
 * <p>Order: decisions come back in the order of the steps that caused them (the clock move, then the
 * record); decisions of one step are ordered as {@link DecisionDrain} describes.
 */
public final class Backtest implements AutoCloseable {

    private static final String TOPIC_PREFIX = "agent.";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("backtest");
    private final Topics topics = new Topics(TOPIC_PREFIX, registry);
    private final Topology topology;
    private final TopologyInputs inputs;
    private Replay replay;

    /** Under the embedded defaults' settings. */
    public Backtest(Policy policy) {
        this(policy, MediatorConfig.defaults());
    }

    /**
     * Under a deployment's settings, for those that change decisions: {@code dedupe.retention} (how far ahead a signed
     * {@code expiresAt} may be), {@code limits.*}, {@code case.retention}, {@code claims.timeout}, {@code case.owner.wait}, the
     * checks' intervals, {@code policy.id}. Where it connects and how its clients are tuned plays no part.
     */
    public Backtest(Policy policy, MediatorConfig config) {
        this.topology = topology(topics, policy, config);
        this.inputs = TopologyInputs.of(topology);
    }

    /**
     * The one place the backtest builds the mediator's topology, so a change of the topology's
     * parameters is made here and nowhere else.
     */
    private static Topology topology(Topics topics, Policy policy, MediatorConfig config) {
        // Unsigned: a backtest's decisions are for reading, and must not differ from run to run.
        return MediatorTopology.build(TopologyParts.of(
                config, topics, new CurrentPolicy(policy), new HealthState(), UnaryOperator.identity()));
    }

    /** Plays every event, in order, and returns every decision, in order. */
    public static List<Decision> run(Policy policy, Iterable<? extends BacktestEvent> events) {
        List<Decision> decisions = new ArrayList<>();
        try (Backtest backtest = new Backtest(policy)) {
            events.forEach(backtest::check);
            events.forEach(event -> decisions.addAll(backtest.play(event)));
            decisions.addAll(backtest.finish());
        }
        return decisions;
    }

    /**
     * Checks, without playing it, that the topology reads the topic the event arrives on, and claims the
     * schema id of a raw record: checked over the whole file before anything is played, the captured
     * ids are taken before the backtest's own serializers number theirs, and a clash is found first.
     *
     * @throws BacktestInputException naming the event's line when it does not
     */
    public void check(BacktestEvent event) {
        Optional<String> topic = event.topic(topics);
        if (topic.isPresent() && !inputs.reads(topic.get())) {
            throw new BacktestInputException(
                    event.line(),
                    event.type()
                            + " events are not supported by this version of the topology (it does not read "
                            + topic.get()
                            + ")");
        }
        if (event instanceof RawEvent raw) {
            knowSchemaOf(raw);
        }
    }

    /**
     * Plays one event and returns the decisions it caused, in order.
     *
     * @throws BacktestInputException when the topology does not read the event's topic
     * @throws IllegalArgumentException when the event is earlier than the one before
     */
    public List<Decision> play(BacktestEvent event) {
        check(event);
        if (replay == null) {
            replay = new Replay(topology, topics, event.at());
        }
        List<Decision> decisions = new ArrayList<>(replay.advanceTo(event.at()));
        event.input(topics).ifPresent(record -> decisions.addAll(replay.pipe(record, event.at())));
        return decisions;
    }

    /**
     * After the last event: what the checks a pass of which stopped at its bound (escalations past their deadline, more
     * than a pass decides) still decide, a {@link io.agentmediator.catchup.PacedCheck#FOLLOW_UP} apart, as a running
     * mediator would after it.
     */
    public List<Decision> finish() {
        return replay == null ? List.of() : replay.settle();
    }

    /** Maps the capturing registry's schema id to this build's schema of the record, so its bytes read as they are. */
    private void knowSchemaOf(RawEvent raw) {
        String topic = raw.topic(topics).orElseThrow();
        raw.schemaId().ifPresent(id -> {
            try {
                registry.registerAs(id, topic + "-value", raw.kind().schema());
            } catch (IllegalArgumentException e) {
                throw new BacktestInputException(raw.line(), "the value's schema id " + id + " is taken here: " + e.getMessage()
                        + "; write the other events of this file as raw records too, or capture from one registry", e);
            }
        });
    }

    @Override
    public void close() {
        if (replay != null) {
            replay.close();
        }
    }
}
