package io.agentmediator.controls;

import java.nio.charset.StandardCharsets;

/**
 * The bytes an operator signs for a control: built from the record key and the control's fields
 * rather than its JSON text, so the signature binds the agent it is about (the key, which the JSON
 * does not carry) and survives any re-encoding of the JSON. The encoding is the decisions' (docs/SIGNING.md):
 * lines ended by LF, strings as {@code <UTF-8 byte length>:<value>}, instants as epoch milliseconds.
 *
 * <pre>
 * agent-mediator-control-v1
 * scope=STRING
 * action=STRING
 * reason=STRING
 * by=STRING
 * at=INSTANT
 * </pre>
 */
public final class ControlCanonicalForm {

    public static final String VERSION_1 = "agent-mediator-control-v1";

    private ControlCanonicalForm() {}

    public static byte[] bytes(String scope, Control control) {
        return text(scope, control).getBytes(StandardCharsets.UTF_8);
    }

    public static String text(String scope, Control control) {
        StringBuilder out = new StringBuilder(VERSION_1).append('\n');
        string(out, "scope", scope);
        string(out, "action", control.action().name());
        string(out, "reason", control.reason());
        string(out, "by", control.by());
        out.append("at=").append(control.at().toEpochMilli()).append('\n');
        return out.toString();
    }

    private static void string(StringBuilder out, String name, String value) {
        out.append(name).append('=').append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value).append('\n');
    }
}
