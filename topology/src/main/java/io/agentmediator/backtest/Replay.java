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

    private final TemporaryDirectory stateDir = new TemporaryDirectory("agent-mediator-backtest-");
    private final TopologyTestDriver driver;
    private final DecisionDrain decisions;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
    private Instant clock;
    /** The latest event time played: the wall clock may have run past it while a backlog was worked through. */
    private Instant played;
    /** Whether the last step wrote anything: a paced check's pass that stopped at its bound did, and is followed up. */
    private boolean working;

    Replay(Topology topology, Topics topics, Instant start) {
        Properties settings = StreamsSettings.of(MediatorConfig.defaults());
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.path().toString());
        this.driver = start(topology, settings, start);
        this.decisions = new DecisionDrain(driver, topics);
        this.clock = start;
        this.played = start;
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
     * bound comes back {@link PacedCheck#FOLLOW_UP} later while it has work, as in a running mediator: follow-ups left by
     * the steps before run first, while they fit before {@code at}, and a backlog the pass at {@code at} found is worked
     * through before the record stamped {@code at} is played, as a running mediator's checks would have worked through it
     * during the quiet stretch before. The clock then stands a few follow-ups past {@code at}; a later event up to it is
     * played at the clock, with its own time on its record.
     */
    List<Decision> advanceTo(Instant at) {
        if (at.isBefore(played)) {
            throw new IllegalArgumentException("the clock cannot go back from " + played + " to " + at);
        }
        played = at;
        List<Decision> made = new ArrayList<>();
        while (working && !clock.plus(PacedCheck.FOLLOW_UP).isAfter(at)) {
            made.addAll(step(clock.plus(PacedCheck.FOLLOW_UP)));
        }
        if (at.isAfter(clock)) {
            made.addAll(step(at));
            made.addAll(settle());
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
        List<Decision> made = decisions.drain();
        working = decisions.wrote();
        return made;
    }

    /** Processes one record stamped {@code at}; stream time moves with it. */
    List<Decision> pipe(BacktestEvent.Input record, Instant at) {
        inputs.computeIfAbsent(
                        record.topic(),
                        topic -> driver.createInputTopic(
                                topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer()))
                .pipeInput(new TestRecord<>(record.key(), record.value(), headers(record), at));
        List<Decision> made = decisions.drain();
        // A record can start work a check finishes in passes (the dependents of a task undone, 200 a pass).
        working = decisions.wrote();
        return made;
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
