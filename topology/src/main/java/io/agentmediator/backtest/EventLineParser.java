package io.agentmediator.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.json.ApprovalJson;
import io.agentmediator.json.IntentJson;
import io.agentmediator.json.JsonFields;
import io.agentmediator.json.JsonInputException;
import io.agentmediator.json.JsonText;
import io.agentmediator.json.OutcomeJson;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Turns one line of a backtest file into a {@link BacktestEvent}:
 * {@code {"type":"intent|approval|outcome|tick","at":T,"<type>":{…},"headers":{…}}}, or a captured record byte for
 * byte ({@link RawEvent}), where {@code at} is an
 * ISO-8601 instant or epoch milliseconds and the optional {@code headers} (not for ticks) are the
 * record's headers as text, e.g. {@code mediator-signature} and {@code mediator-key-id}. Knows
 * nothing of the lines around it.
 */
final class EventLineParser {

    private static final String TYPE = "type";
    private static final String AT = "at";
    /**
     * The last instant an event may have: record timestamps are milliseconds in a long, and deadlines
     * and budget windows are computed from them, so instants near the end of that range would overflow.
     */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private static final String HEADERS = "headers";
    private static final String TOPIC = "topic";
    private static final String KEY = "key";
    private static final String VALUE = "value";

    private EventLineParser() {}

    /** @throws BacktestInputException naming the line and, where there is one, the field */
    static BacktestEvent parse(int line, String text) {
        try {
            JsonFields event = JsonFields.object(JsonText.parse(text), "");
            String type = event.requiredString(TYPE);
            return switch (type) {
                case "intent" -> new BacktestEvent.IntentEvent(
                        line, at(event.allowOnly(fields(type))), IntentJson.read(event.required(type), type), event.stringMap(HEADERS));
                case "approval" -> new BacktestEvent.ApprovalEvent(
                        line, at(event.allowOnly(fields(type))), ApprovalJson.read(event.required(type), type), event.stringMap(HEADERS));
                case "outcome" -> new BacktestEvent.OutcomeEvent(
                        line, at(event.allowOnly(fields(type))), OutcomeJson.read(event.required(type), type), event.stringMap(HEADERS));
                case "tick" -> new BacktestEvent.Tick(line, at(event.allowOnly(List.of(TYPE, AT))));
                case "raw" -> raw(line, event.allowOnly(List.of(TYPE, AT, TOPIC, KEY, VALUE, HEADERS)));
                default -> throw new JsonInputException(
                        TYPE, "unknown event type \"" + type + "\"; the types are intent, approval, outcome, raw and tick");
            };
        } catch (JsonInputException e) {
            throw new BacktestInputException(line, e.getMessage(), e);
        }
    }

    /** {@code {"type":"raw","at":T,"topic":"intents|approvals|outcomes","key":"…","value":"<base64>","headers":{…}}}. */
    private static RawEvent raw(int line, JsonFields event) {
        String topic = event.requiredString(TOPIC);
        RawEvent.Kind kind;
        try {
            kind = RawEvent.Kind.valueOf(topic.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JsonInputException(TOPIC, "unknown topic \"" + topic + "\"; a raw record comes from intents, approvals or outcomes");
        }
        byte[] value;
        try {
            value = Base64.getDecoder().decode(event.requiredString(VALUE));
        } catch (IllegalArgumentException e) {
            throw new JsonInputException(VALUE, "must be the record value's bytes in standard base64: " + e.getMessage());
        }
        return new RawEvent(line, at(event), kind, event.requiredString(KEY), value, event.stringMap(HEADERS));
    }

    /** An event's fields: its type, its time, the payload named after its type, and its headers. */
    private static List<String> fields(String type) {
        return List.of(TYPE, AT, type, HEADERS);
    }

    /**
     * Epoch milliseconds or ISO-8601; never before 1970, because Kafka has no such record timestamps, and
     * never after {@link #LATEST}.
     */
    private static Instant at(JsonFields event) {
        JsonNode value = event.required(AT);
        Instant at;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            at = Instant.ofEpochMilli(value.longValue());
        } else if (value.isTextual()) {
            at = event.requiredInstant(AT);
        } else {
            throw new JsonInputException(
                    AT, "must be an ISO-8601 instant such as 2026-11-21T09:00:00Z, or epoch milliseconds, got " + value);
        }
        if (at.isBefore(Instant.EPOCH)) {
            throw new JsonInputException(AT, "must not be before 1970-01-01T00:00:00Z, got " + value);
        }
        if (at.isAfter(LATEST)) {
            throw new JsonInputException(AT, "must not be after " + LATEST + ", got " + value);
        }
        return at;
    }
}
