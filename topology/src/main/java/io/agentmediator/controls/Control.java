package io.agentmediator.controls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentmediator.text.Printable;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One record of the compacted controls topic, keyed by agent id (or {@code *}): a small JSON
 * object, so an operator can also write it with kcat — {@code {"action":"SUSPEND","reason":"...","by":"alice","at":"2026-..."}}.
 */
public record Control(ControlAction action, String reason, String by, Instant at) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of a record that is not a control its refusal quotes. */
    private static final int QUOTED_CHARS = 200;

    public String toJson() {
        return toTree().toString();
    }

    /** Its fields as a JSON object, to which an accepted control adds its own. */
    ObjectNode toTree() {
        ObjectNode node = JSON.createObjectNode();
        node.put("action", action.name());
        node.put("reason", reason);
        node.put("by", by);
        node.put("at", at.toString());
        return node;
    }

    /** Reads a control; a record that is not one is refused with what is wrong. */
    public static Control fromJson(String json) {
        return fromTree(tree(json));
    }

    /** {@code json} as a JSON object, or refused with what is wrong. */
    static ObjectNode tree(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("a control is a JSON object, not: " + Printable.escape(json, QUOTED_CHARS));
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a readable control: " + Printable.escape(e.getOriginalMessage(), QUOTED_CHARS), e);
        }
    }

    /** The control a JSON object holds, or refused with what is wrong. */
    static Control fromTree(JsonNode node) {
        ControlAction action = action(required(node, "action"));
        return new Control(action, node.path("reason").asText(""), required(node, "by"), signedInstant(required(node, "at")));
    }

    private static ControlAction action(String text) {
        for (ControlAction action : ControlAction.values()) {
            if (action.name().equals(text)) {
                return action;
            }
        }
        throw new IllegalArgumentException("\"action\" is SUSPEND or RESUME, not: " + Printable.escape(text, QUOTED_CHARS));
    }

    /**
     * The {@code at} as it is signed: to the millisecond (finer digits would let a copy of a signed control pass for a later
     * one), and within the milliseconds since the epoch a long holds.
     */
    private static Instant signedInstant(String text) {
        try {
            return Instant.ofEpochMilli(Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"at\" is not an ISO-8601 instant: " + Printable.escape(text, QUOTED_CHARS), e);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"at\" is out of range: " + Printable.escape(text, QUOTED_CHARS), e);
        }
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("a control needs \"" + field + "\"");
        }
        return value.asText();
    }
}
