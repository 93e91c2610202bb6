package io.agentmediator.backtest;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.Outcome;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;

/**
 * One line of a backtest file: something that happens to the mediator at instant {@code at}, the
 * record timestamp and the clock. Each kind knows the input topic it arrives on and how it is
 * keyed there, as agents, approvers and executors would produce it.
 */
public sealed interface BacktestEvent {

    /** The 1-based line of the file it came from, for messages. */
    int line();

    Instant at();

    /** The kind, as the file's {@code type} field names it. */
    String type();

    /** The input topic this event arrives on; empty when only time passes. */
    Optional<String> topic(Topics topics);

    /** The record this event puts on its input topic; empty when only time passes. */
    Optional<Input> input(Topics topics);

    /** A record in the bytes the mediator reads from {@code topic}. */
    record Input(String topic, byte[] key, byte[] value) {}

    /** An agent proposes: keyed by its agent id, as agents produce. */
    record IntentEvent(int line, Instant at, AgentIntent intent) implements BacktestEvent {

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
                            topics.intentSerde().serializer().serialize(topic, intent)));
        }
    }

    /** A human answers an escalation: keyed by intent id. */
    record ApprovalEvent(int line, Instant at, Approval approval) implements BacktestEvent {

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
            return Optional.of(encode(topics.approvals().name(), topics.approvalSerde(), approval.getIntentId(), approval));
        }
    }

    /** An executor reports how an executed intent ended: keyed by intent id. */
    record OutcomeEvent(int line, Instant at, Outcome outcome) implements BacktestEvent {

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
            return Optional.of(encode(topics.outcomes().name(), topics.outcomeSerde(), outcome.getIntentId(), outcome));
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

    private static <V> Input encode(String topic, Serde<V> serde, String key, V value) {
        return new Input(topic, key.getBytes(StandardCharsets.UTF_8), serde.serializer().serialize(topic, value));
    }

}
