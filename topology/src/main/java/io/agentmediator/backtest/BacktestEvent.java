package io.agentmediator.backtest;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.Outcome;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;

/**
 * One line of a backtest file: something that happens to the mediator at instant {@code at}, the
 * record timestamp and the clock. Each kind knows the input topic it arrives on and how it is
 * keyed there, as agents, approvers and executors would produce it.
 */
public sealed interface BacktestEvent permits BacktestEvent.IntentEvent, BacktestEvent.ApprovalEvent, BacktestEvent.OutcomeEvent,
        BacktestEvent.Tick, RawEvent {

    /** The 1-based line of the file it came from, for messages. */
    int line();

    Instant at();

    /** The kind, as the file's {@code type} field names it. */
    String type();

    /** The input topic this event arrives on; empty when only time passes. */
    Optional<String> topic(Topics topics);

    /** The record this event puts on its input topic; empty when only time passes. */
    Optional<Input> input(Topics topics);

    /**
     * A record in the bytes the mediator reads from {@code topic}, with its headers (UTF-8 text
     * values: a signature in base64, a key id), so signed flows can be replayed.
     */
    record Input(String topic, byte[] key, byte[] value, Map<String, String> headers) {

        public Input {
            headers = Map.copyOf(headers);
        }
    }

    /** An agent proposes: keyed by its agent id, as agents produce. */
    record IntentEvent(int line, Instant at, AgentIntent intent, Map<String, String> headers) implements BacktestEvent {

        public IntentEvent(int line, Instant at, AgentIntent intent) {
            this(line, at, intent, Map.of());
        }

        @Override
        public String type() {
            return "intent";
        }

        @Override
        public Optional<String> topic(Topics topics) {
            return Optional.of(topics.intents().name());
        }

        @Override
        public Optional<Input> input(Topics topics) {
            String topic = topics.intents().name();
            return Optional.of(
                    new Input(
                            topic,
                            intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                            topics.intentSerde().serializer().serialize(topic, intent),
                            headers));
        }
    }

    /** A human answers an escalation: keyed by intent id. */
    record ApprovalEvent(int line, Instant at, Approval approval, Map<String, String> headers) implements BacktestEvent {

        public ApprovalEvent(int line, Instant at, Approval approval) {
            this(line, at, approval, Map.of());
        }

        @Override
        public String type() {
            return "approval";
        }

        @Override
        public Optional<String> topic(Topics topics) {
            return Optional.of(topics.approvals().name());
        }

        @Override
        public Optional<Input> input(Topics topics) {
            return Optional.of(encode(topics.approvals().name(), topics.approvalSerde(), approval.getIntentId(), approval, headers));
        }
    }

    /** An executor reports how an executed intent ended: keyed by intent id. */
    record OutcomeEvent(int line, Instant at, Outcome outcome, Map<String, String> headers) implements BacktestEvent {

        public OutcomeEvent(int line, Instant at, Outcome outcome) {
            this(line, at, outcome, Map.of());
        }

        @Override
        public String type() {
            return "outcome";
        }

        @Override
        public Optional<String> topic(Topics topics) {
            return Optional.of(topics.outcomes().name());
        }

        @Override
        public Optional<Input> input(Topics topics) {
            return Optional.of(encode(topics.outcomes().name(), topics.outcomeSerde(), outcome.getIntentId(), outcome, headers));
        }
    }

    /** Time passes and nothing else: the wall clock moves to {@code at}, so timers due by then fire. */
    record Tick(int line, Instant at) implements BacktestEvent {

        @Override
        public String type() {
            return "tick";
        }

        @Override
        public Optional<String> topic(Topics topics) {
            return Optional.empty();
        }

        @Override
        public Optional<Input> input(Topics topics) {
            return Optional.empty();
        }
    }

    private static <V> Input encode(String topic, Serde<V> serde, String key, V value, Map<String, String> headers) {
        return new Input(topic, key.getBytes(StandardCharsets.UTF_8), serde.serializer().serialize(topic, value), headers);
    }

}
