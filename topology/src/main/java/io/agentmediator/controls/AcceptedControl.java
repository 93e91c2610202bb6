package io.agentmediator.controls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A control as accepted: its fields; the latest {@code at} of any control accepted for its scope, which a later one
 * must pass; when it was accepted, and when a switch was last pulled on the scope, both by the accepting instance's clock
 * (the second kept through the RESUMEs after it).
 *
 * <p>{@code notBefore} differs from the control's {@code at} only where a SUSPEND was accepted after a RESUME dated ahead
 * of it ({@link ControlJudge}): the RESUME's time stays the mark, so a copy of that RESUME replayed cannot lift the switch.
 * {@code acceptedAt} tells such a RESUME (dated after it was accepted) from one a copy of an older SUSPEND would undo.
 * {@code switchedAt} is what keeps an intent sent before a switch was pulled from being executed once it is lifted
 * ({@link Suspensions#switchedSince}).
 *
 * <p>On the accepted topic and in the stores as the control's JSON with {@code "notBefore"}, {@code "acceptedAt"} and
 * {@code "switchedAt"} beside its fields where known: a reader that knows only the control's fields reads it as that control.
 *
 * @param acceptedAt null for a control accepted before this was recorded
 * @param switchedAt null where no switch was pulled on the scope since controls carried it
 */
record AcceptedControl(Control control, Instant notBefore, Instant acceptedAt, Instant switchedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOT_BEFORE = "notBefore";
    private static final String ACCEPTED_AT = "acceptedAt";
    private static final String SWITCHED_AT = "switchedAt";

    AcceptedControl {
        if (notBefore.isBefore(control.at())) {
            notBefore = control.at();
        }
    }

    static AcceptedControl of(Control control) {
        return new AcceptedControl(control, control.at(), null, null);
    }

    String toJson() {
        if (!notBefore.isAfter(control.at()) && acceptedAt == null && switchedAt == null) {
            return control.toJson();
        }
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(control.toJson());
            if (notBefore.isAfter(control.at())) {
                node.put(NOT_BEFORE, notBefore.toString());
            }
            if (acceptedAt != null) {
                node.put(ACCEPTED_AT, acceptedAt.toString());
            }
            if (switchedAt != null) {
                node.put(SWITCHED_AT, switchedAt.toString());
            }
            return node.toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a control's own JSON did not read back", e);
        }
    }

    /**
     * One the acceptor wrote, or the loader took as a control: with its mark where it has one that reads (the loader reads
     * only the control's fields, so a foreign write to the accepted topic may carry anything there).
     */
    static AcceptedControl fromJson(String json) {
        Control control = Control.fromJson(json);
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return of(control);
        }
        return new AcceptedControl(control, instant(node, NOT_BEFORE).orElse(control.at()), instant(node, ACCEPTED_AT).orElse(null),
                instant(node, SWITCHED_AT).orElse(null));
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
