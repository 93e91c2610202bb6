package io.agentmediator.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.OutcomeStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFileReaderTest {

    private static final String INTENT =
            "{\"intentId\":\"i-1\",\"agentId\":\"finance-analyst\",\"action\":\"invoice.create\",\"target\":\"erp\","
                    + "\"costMicros\":1,\"confidence\":0.9}";

    @Test
    void shouldReadEveryKindOfEventWithItsLineSkippingBlankAndCommentLines() throws IOException {
        String file = """
                # a comment
                {"type":"intent","at":"2026-11-23T09:00:00Z","intent":%s}

                   # an indented comment
                {"type":"approval","at":"2026-11-23T09:01:00Z","approval":{"intentId":"i-1","approverId":"maria@example.com","decision":"APPROVE","comment":"ok"}}
                {"type":"outcome","at":"2026-11-23T09:02:00Z","outcome":{"intentId":"i-1","status":"COMPLETED","actualCostMicros":900000}}
                {"type":"tick","at":"2026-11-23T10:00:00Z"}
                """.formatted(INTENT);

        List<BacktestEvent> events = read(file);

        assertThat(events).extracting(BacktestEvent::line).containsExactly(2, 5, 6, 7);
        assertThat(events).extracting(BacktestEvent::type).containsExactly("intent", "approval", "outcome", "tick");
        assertThat(((BacktestEvent.IntentEvent) events.get(0)).intent().getAgentId()).isEqualTo("finance-analyst");
        assertThat(((BacktestEvent.ApprovalEvent) events.get(1)).approval().getDecision()).isEqualTo(ApprovalDecision.APPROVE);
        assertThat(((BacktestEvent.OutcomeEvent) events.get(2)).outcome().getStatus()).isEqualTo(OutcomeStatus.COMPLETED);
        assertThat(((BacktestEvent.OutcomeEvent) events.get(2)).outcome().getActualCostMicros()).isEqualTo(900000L);
        assertThat(events.get(3).at()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void shouldReadAnEventsRecordHeaders() throws IOException {
        // Given an approval line with the headers a signed approval carries
        String line = "{\"type\":\"approval\",\"at\":0,\"approval\":{\"intentId\":\"i-1\",\"approverId\":\"maria\","
                + "\"decision\":\"APPROVE\"},\"headers\":{\"mediator-signature\":\"c2ln\",\"mediator-key-id\":\"maria\"}}";

        // When
        BacktestEvent event = EventLineParser.parse(1, line);

        // Then
        assertThat(((BacktestEvent.ApprovalEvent) event).headers())
                .containsExactly(Map.entry("mediator-signature", "c2ln"), Map.entry("mediator-key-id", "maria"));
    }

    @Test
    void shouldTakeAtAsAnIsoInstantOrAsEpochMilliseconds() throws IOException {
        String file = """
                {"type":"tick","at":"2026-11-23T10:00:00+01:00"}
                {"type":"tick","at":1795424400000}
                """;

        List<BacktestEvent> events = read(file);

        assertThat(events).extracting(BacktestEvent::at)
                .containsExactly(Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T09:00:00Z"));
    }

    @Test
    void shouldIgnoreAByteOrderMarkAtTheStartOfTheFile() throws IOException {
        String file = "\uFEFF{\"type\":\"tick\",\"at\":1}";

        List<BacktestEvent> events = read(file);

        assertThat(events).extracting(BacktestEvent::at).containsExactly(Instant.ofEpochMilli(1));
    }

    @Test
    void shouldNameTheLineOfTextThatIsNotJson() {
        String file = """
                {"type":"tick","at":1}
                {"type":"tick","at":2
                """;

        assertThatThrownBy(() -> read(file))
                .isInstanceOf(BacktestInputException.class)
                .hasMessageStartingWith("line 2: not valid JSON at column ")
                .extracting(e -> ((BacktestInputException) e).line())
                .isEqualTo(2);
    }

    @Test
    void shouldNameTheLineOfAFieldGivenTwice() {
        String file = "{\"type\":\"tick\",\"at\":1,\"at\":2}";

        assertThatThrownBy(() -> read(file)).hasMessageStartingWith("line 1: not valid JSON").hasMessageContaining("'at'");
    }

    @Test
    void shouldNameTheLineOfAnUnknownEventType() {
        String file = "\n{\"type\":\"policy\",\"at\":1}";

        assertThatThrownBy(() -> read(file))
                .hasMessage("line 2: type: unknown event type \"policy\"; the types are intent, approval, outcome, raw and tick");
    }

    @Test
    void shouldNameTheLineOfARawRecordFromAnUnknownTopicOrNotInBase64() {
        String unknownTopic = "{\"type\":\"raw\",\"at\":1,\"topic\":\"policies\",\"key\":\"k\",\"value\":\"AAAAAAE=\"}";
        String notBase64 = "{\"type\":\"raw\",\"at\":1,\"topic\":\"approvals\",\"key\":\"k\",\"value\":\"not base64!\"}";

        assertThatThrownBy(() -> read(unknownTopic)).hasMessageStartingWith("line 1: topic: unknown topic \"policies\"");
        assertThatThrownBy(() -> read(notBase64)).hasMessageStartingWith("line 1: value: must be the record value's bytes in standard base64");
    }

    @Test
    void shouldNameTheLineOfAnEventWithoutAt() {
        String file = "{\"type\":\"intent\",\"intent\":" + INTENT + "}";

        assertThatThrownBy(() -> read(file)).hasMessage("line 1: at: required field is missing");
    }

    @Test
    void shouldNameTheLineOfAnAtThatIsNeitherAnInstantNorMilliseconds() {
        String file = "{\"type\":\"tick\",\"at\":\"9 o'clock\"}";

        assertThatThrownBy(() -> read(file))
                .hasMessage("line 1: at: must be an ISO-8601 instant such as 2026-11-21T09:00:00Z, got \"9 o'clock\"");
    }

    @Test
    void shouldNameTheLineOfAnAtBeforeKafkaTimestampsBegin() {
        String file = "{\"type\":\"tick\",\"at\":-1}";

        assertThatThrownBy(() -> read(file)).hasMessage("line 1: at: must not be before 1970-01-01T00:00:00Z, got -1");
    }

    @Test
    void shouldNameTheLineOfAnAtBeyondTheMillisecondRange() throws IOException {
        String file = """
                {"type":"tick","at":"2026-11-23T09:00:00Z"}
                {"type":"tick","at":"+1000000000-01-01T00:00:00Z"}
                """;

        assertThatThrownBy(() -> read(file)).isInstanceOf(BacktestInputException.class)
                .hasMessage("line 2: at: is beyond the range of millisecond timestamps, got \"+1000000000-01-01T00:00:00Z\"");
    }

    @Test
    void shouldNameTheLineOfMillisecondsTooLateToComputeDeadlinesFrom() {
        String file = "{\"type\":\"tick\",\"at\":9223372036854775807}";

        assertThatThrownBy(() -> read(file))
                .hasMessage("line 1: at: must not be after 9999-12-31T23:59:59.999Z, got 9223372036854775807");
    }

    @Test
    void shouldNameTheLineOfAnIntentWhoseExpiryIsBeyondTheMillisecondRange() {
        String file = """
                {"type":"intent","at":"2026-11-23T09:00:00Z","intent":{"intentId":"i-1","agentId":"a","action":"x","target":"y",\
                "costMicros":1,"confidence":0.9,"expiresAt":"+1000000000-01-01T00:00:00Z"}}
                """;

        assertThatThrownBy(() -> read(file)).isInstanceOf(BacktestInputException.class)
                .hasMessageStartingWith("line 1: intent.expiresAt: is beyond the range of millisecond timestamps");
    }

    @Test
    void shouldRefuseTimeGoingBackwardsNamingBothLines() {
        String file = """
                {"type":"tick","at":"2026-11-23T09:00:00Z"}
                {"type":"tick","at":"2026-11-23T09:00:00Z"}
                # equal times are fine; going back is not
                {"type":"tick","at":"2026-11-23T08:59:59Z"}
                """;

        assertThatThrownBy(() -> read(file))
                .hasMessage("line 4: at 2026-11-23T08:59:59Z is before line 2's 2026-11-23T09:00:00Z; "
                        + "events must be in time order");
    }

    @Test
    void shouldNameTheLineAndFieldOfAnUnknownIntentField() {
        String file = "{\"type\":\"intent\",\"at\":1,\"intent\":" + INTENT.replace("\"confidence\"", "\"confidance\"") + "}";

        assertThatThrownBy(() -> read(file))
                .hasMessageStartingWith("line 1: intent.confidance: unknown field; the fields here are intentId,");
    }

    @Test
    void shouldNameTheLineAndFieldOfAnIntentValueOfTheWrongType() {
        String file = "{\"type\":\"intent\",\"at\":1,\"intent\":" + INTENT.replace("\"costMicros\":1", "\"costMicros\":\"1\"") + "}";

        assertThatThrownBy(() -> read(file)).hasMessage("line 1: intent.costMicros: must be a whole number, got \"1\"");
    }

    @Test
    void shouldRefuseAPayloadThatDoesNotMatchTheType() {
        String file = "{\"type\":\"tick\",\"at\":1,\"intent\":" + INTENT + "}";

        assertThatThrownBy(() -> read(file)).hasMessage("line 1: intent: unknown field; the fields here are type, at");
    }

    @Test
    void shouldNameTheLineOfAnEventWithoutItsPayload() {
        String file = "{\"type\":\"outcome\",\"at\":1}";

        assertThatThrownBy(() -> read(file)).hasMessage("line 1: outcome: required field is missing");
    }

    @Test
    void shouldNameTheLineAndFieldOfAnUnknownApprovalDecision() {
        String file = "{\"type\":\"approval\",\"at\":1,\"approval\":{\"intentId\":\"i\",\"approverId\":\"a\",\"decision\":\"MAYBE\"}}";

        assertThatThrownBy(() -> read(file)).hasMessage("line 1: approval.decision: must be one of APPROVE, DENY, got \"MAYBE\"");
    }

    private static List<BacktestEvent> read(String file) throws IOException {
        List<BacktestEvent> events = new ArrayList<>();
        EventFileReader.read(new BufferedReader(new StringReader(file)), events::add);
        return events;
    }
}
