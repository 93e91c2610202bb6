package io.agentmediator.backtest;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.Outcome;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * A record exactly as it was captured from an input topic: its key, its value bytes (the Confluent
 * wire format) and its headers, replayed byte for byte, so a signature made over those bytes still
 * verifies. The schema id inside the bytes is the capturing registry's; the backtest maps it to this
 * build's schema of the record, so the record must have been written with that schema.
 */
public record RawEvent(int line, Instant at, Kind kind, String key, byte[] value, Map<String, String> headers) implements BacktestEvent {

    /** The input topics a captured record may come from, as the file names them, and the schema their values are written with. */
    public enum Kind {
        INTENTS(Topics::intents, AgentIntent.getClassSchema()),
        APPROVALS(Topics::approvals, Approval.getClassSchema()),
        OUTCOMES(Topics::outcomes, Outcome.getClassSchema());

        private final Function<Topics, TopicSpec<byte[], byte[]>> topic;
        private final Schema schema;

        Kind(Function<Topics, TopicSpec<byte[], byte[]>> topic, Schema schema) {
            this.topic = topic;
            this.schema = schema;
        }

        public Schema schema() {
            return schema;
        }
    }

    public RawEvent {
        headers = Map.copyOf(headers);
        value = value.clone();
    }

    @Override
    public String type() {
        return "raw";
    }

    @Override
    public Optional<String> topic(Topics topics) {
        return Optional.of(kind.topic.apply(topics).name());
    }

    @Override
    public Optional<Input> input(Topics topics) {
        return Optional.of(new Input(kind.topic.apply(topics).name(), key.getBytes(StandardCharsets.UTF_8), value.clone(), headers));
    }

    /** The schema id the value names, when it is in the wire format (magic byte 0, then the id); a record that is not is replayed as it is. */
    public OptionalInt schemaId() {
        if (value.length < 5 || value[0] != 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(((value[1] & 0xff) << 24) | ((value[2] & 0xff) << 16) | ((value[3] & 0xff) << 8) | (value[4] & 0xff));
    }
}
