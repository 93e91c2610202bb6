package io.agentmediator.controls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A control as accepted: its fields, and the latest {@code at} of any control accepted for its scope, which a later one
 * must pass. The two differ only where a SUSPEND was accepted after a RESUME dated ahead of it ({@link ControlJudge}):
 * the RESUME's time stays the mark, so a copy of that RESUME replayed cannot lift the switch.
 *
 * <p>On the accepted topic and in the stores as the control's JSON with {@code "notBefore"} beside its fields when the mark
 * is later than its {@code at}: a reader that knows only the control's fields reads it as that control.
 */
record AcceptedControl(Control control, Instant notBefore) {

    private static final String NOT_BEFORE = "notBefore";

    AcceptedControl {
        if (notBefore.isBefore(control.at())) {
            notBefore = control.at();
        }
    }

    static AcceptedControl of(Control control) {
        return new AcceptedControl(control, control.at());
    }

    String toJson() {
        ObjectNode node = control.toTree();
        if (notBefore.isAfter(control.at())) {
            node.put(NOT_BEFORE, notBefore.toString());
        }
        return node.toString();
    }

    /**
     * One the acceptor wrote, or the loader took as a control: with its mark where it has one that reads (the loader reads
     * only the control's fields, so a foreign write to the accepted topic may carry anything there).
     */
    static AcceptedControl fromJson(String json) {
        ObjectNode node = Control.tree(json);
        Control control = Control.fromTree(node);
        JsonNode notBefore = node.get(NOT_BEFORE);
        try {
            return new AcceptedControl(control, notBefore == null ? control.at() : Instant.parse(notBefore.asText()));
        } catch (DateTimeParseException e) {
            return of(control);
        }
    }
}
