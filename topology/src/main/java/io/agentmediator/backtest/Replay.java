package io.agentmediator.backtest;

import io.agentmediator.app.StreamsSettings;
import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.schema.Decision;
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
    /** Whether the last move of the clock decided anything: a paced check that did may have stopped at its bound. */
    private boolean deciding;

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
     * Moves the wall clock forward to {@code at}; wall-clock punctuators due by then fire. A check that decided up to its
     * bound in a pass comes back {@link PacedCheck#FOLLOW_UP} later while it has work, as in a running mediator: the clock
     * moves by those steps while they decide, so a backlog is worked through when the mediator would, not a pass an event.
     */
    List<Decision> advanceTo(Instant at) {
        if (at.isBefore(clock)) {
            throw new IllegalArgumentException("the clock cannot go back from " + clock + " to " + at);
        }
        List<Decision> made = new ArrayList<>();
        while (deciding && clock.plus(PacedCheck.FOLLOW_UP).isBefore(at)) {
            made.addAll(step(clock.plus(PacedCheck.FOLLOW_UP)));
        }
        made.addAll(step(at));
        return made;
    }

    /** After the last event: the follow-ups a running mediator would still make, until one decides nothing. */
    List<Decision> settle() {
        List<Decision> made = new ArrayList<>();
        while (deciding) {
            made.addAll(step(clock.plus(PacedCheck.FOLLOW_UP)));
        }
        return made;
    }

    private List<Decision> step(Instant to) {
        driver.advanceWallClockTime(Duration.between(clock, to));
        clock = to;
        List<Decision> made = decisions.drain();
        deciding = !made.isEmpty();
        return made;
    }

    /** Processes one record stamped {@code at}; stream time moves with it. */
    List<Decision> pipe(BacktestEvent.Input record, Instant at) {
        inputs.computeIfAbsent(
                        record.topic(),
                        topic -> driver.createInputTopic(
                                topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer()))
                .pipeInput(new TestRecord<>(record.key(), record.value(), headers(record), at));
        return decisions.drain();
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
