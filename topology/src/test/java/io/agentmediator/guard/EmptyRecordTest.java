package io.agentmediator.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.topics.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A record without key or value on a topic only the mediator should write: its processor fails on it, and the handler took
 * a failure with no raw key and value for one in a punctuation, so the record went unrecorded, said to be "no record read".
 */
class EmptyRecordTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "empty-record-1"
            agents:
              - id: solo
                capabilities: { actions: ["*"], targets: ["*"] }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"agent.case-events", "agent.ledger-requests", "agent.ledger-replies"})
    void aRecordWithoutKeyOrValueIsDeadLetteredNotTakenForAPunctuation(String topic) {
        try (PipelineDriver mediator = new PipelineDriver(POLICY, T0)) {
            mediator.pipe(new TopicSpec<>(topic, Serdes.ByteArray(), Serdes.ByteArray(), false), null, null, T0);

            assertThat(mediator.deadLetters()).as("dead letters of the empty record read from %s", topic).singleElement()
                    .satisfies(letter -> assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value(), StandardCharsets.UTF_8)).isEqualTo(topic));
        }
    }
}
