package io.agentmediator.backtest;

import io.agentmediator.app.StreamsSettings;
import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.schema.Decision;
import io.agentmediator.storage.TemporaryDirectory;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * One topology running in a {@link TopologyTestDriver} (no broker) over its own temporary state,
 * with a wall clock that only moves when told to. Each step returns the decisions it caused.
 */
final class Replay implements AutoCloseable {

    /** How long before an event after a quiet stretch the checks run first: room for 100 follow-ups, 25 decisions each. */
    private static final Duration BACKLOG_ROOM = Duration.ofSeconds(10);

    private final TemporaryDirectory stateDir = new TemporaryDirectory("agent-mediator-backtest-");
    private final TopologyTestDriver driver;
    private final DecisionDrain decisions;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private Instant clock;
    /** Whether the last step wrote anything: a paced check's pass that stopped at its bound did, and is followed up. */
    private boolean working;

    Replay(Topology topology, Topics topics, Instant start) {
        Properties settings = StreamsSettings.of(MediatorConfig.defaults());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.path().toString());
        this.driver = start(topology, settings, start);
        this.decisions = new DecisionDrain(driver, topics);
        this.clock = start;
    }

    private TopologyTestDriver start(Topology topology, Properties settings, Instant start) {
        try {
            return new TopologyTestDriver(topology, settings, start);
        } catch (RuntimeException e) {
            // Nothing will close this replay, so its state directory goes now.
            stateDir.close();
            throw e;
        }
    }

    /**
     * Moves the wall clock forward to {@code at}; wall-clock punctuators due by then fire. A check whose pass stopped at its
     * bound comes back {@link PacedCheck#FOLLOW_UP} later while it has work, as in a running mediator, and the clock never
     * passes {@code at} before the record stamped {@code at} is played: a pass after it would decide what falls due after
     * the record (an escalation whose answer that record is). Across a quiet stretch the checks first run
     * {@link #BACKLOG_ROOM} before {@code at}, as a running mediator's checks would have run during it, so that a backlog
     * of what fell due meanwhile is worked through before the record: all of it up to 2,500 decisions a check.
     */
    List<Decision> advanceTo(Instant at) {
        if (at.isBefore(clock)) {
            throw new IllegalArgumentException("the clock cannot go back from " + clock + " to " + at);
        }
        List<Decision> made = new ArrayList<>(followUpsUntil(at));
        Instant early = at.minus(BACKLOG_ROOM);
        if (early.isAfter(clock)) {
            made.addAll(step(early));
            made.addAll(followUpsUntil(at));
        }
        if (at.isAfter(clock)) {
            made.addAll(step(at));
        }
        return made;
    }

    /** The follow-ups due before {@code at}, while steps change anything. */
    private List<Decision> followUpsUntil(Instant at) {
        List<Decision> made = new ArrayList<>();
        while (working && !clock.plus(PacedCheck.FOLLOW_UP).isAfter(at)) {
            made.addAll(step(clock.plus(PacedCheck.FOLLOW_UP)));
        }
        return made;
    }

    /** The follow-ups a running mediator would make now, until a step changes nothing. */
    List<Decision> settle() {
        List<Decision> made = new ArrayList<>();
        while (working) {
            made.addAll(step(clock.plus(PacedCheck.FOLLOW_UP)));
        }
        return made;
    }

    private List<Decision> step(Instant to) {
        driver.advanceWallClockTime(Duration.between(clock, to));
        clock = to;
        return drained();
    }

    /** Processes one record stamped {@code at}; stream time moves with it. */
    List<Decision> pipe(BacktestEvent.Input record, Instant at) {
        inputs.computeIfAbsent(
                        record.topic(),
                        topic -> driver.createInputTopic(
                                topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer()))
                .pipeInput(new TestRecord<>(record.key(), record.value(), headers(record), at));
        // A record can start work a check finishes in passes (the dependents of a task undone, 200 a pass).
        return drained();
    }

    private List<Decision> drained() {
        DecisionDrain.Drained drained = decisions.drain();
        working = drained.wrote();
        return drained.decisions();
    }

    private static Headers headers(BacktestEvent.Input record) {
        Headers headers = new RecordHeaders();
        record.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    @Override
    public void close() {
        try (stateDir) {
            driver.close();
        }
    }
}
