package io.agentmediator.signing;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The bytes the mediator signs for a {@link Decision}: a versioned text encoding of the decision's
 * field values, so an executor computes the same bytes whatever Avro schema version it reads the
 * decision with, and in any language. (Signing the Avro bytes instead would tie the signature to
 * the writer schema, and a reader on another schema version could not reproduce them.)
 *
 * <h2>Version 1</h2>
 * UTF-8 text, a sequence of lines, each ended by one LF (0x0A); no byte order mark, no carriage
 * returns, nothing after the last LF. In this order:
 * <pre>
 * agent-mediator-decision-v1
 * intentId=STRING
 * agentId=STRING
 * correlationId=STRING
 * outcome=STRING           the enum symbol: EXECUTE, ESCALATE or REJECT
 * tier=STRING
 * reasons=COUNT
 *   then, for each reason in list order, three lines:
 * reason.code=STRING       the enum symbol, e.g. OVER_AUTHORITY
 * reason.ruleId=STRING
 * reason.message=STRING
 * policyVersion=STRING
 * decidedAt=INSTANT
 * decidedBy=STRING
 * deadline=INSTANT
 * </pre>
 * <ul>
 *   <li>STRING is {@code ~} for null; otherwise the length N, a colon, then the value: N is the
 *       number of bytes of the value's UTF-8 encoding, in decimal ASCII digits without leading zeros
 *       ({@code 0} for the empty string); the value's bytes follow verbatim, unescaped (they may
 *       contain LF, {@code =}, {@code ~}, anything: the length says where they end). No Unicode
 *       normalization. So null is {@code ~}, the empty string {@code 0:}, and the string {@code ~}
 *       is {@code 1:~}.</li>
 *   <li>INSTANT is {@code ~} for null; otherwise milliseconds since 1970-01-01T00:00:00Z (the Avro
 *       {@code timestamp-millis} value) in decimal, with a leading {@code -} when negative and no
 *       leading zeros.</li>
 *   <li>COUNT is the number of reasons in decimal without leading zeros ({@code 0} for none).</li>
 * </ul>
 * The {@code signature} field is not part of the form. The version tag is, so bytes of one
 * version never verify as another. Fields added to Decision after version 1 are not covered by
 * it; covering them would take a version 2, which verifiers would then accept alongside v1.
 *
 * <p>Example: a decision with intentId "i-1" and no tier starts
 * {@code agent-mediator-decision-v1\nintentId=3:i-1\n} and has the line {@code tier=~}.
 * docs/SIGNING.md has a complete test vector.
 */
public final class DecisionCanonicalForm {

    /** The first line of version 1. */
    public static final String VERSION_1 = "agent-mediator-decision-v1";

    private static final String NULL = "~";

    private DecisionCanonicalForm() {
    }

    /** The canonical form as bytes: what is signed. */
    public static byte[] bytes(Decision decision) {
        return text(decision).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical form as text (its UTF-8 encoding is {@link #bytes}), for tests and debugging. */
    public static String text(Decision decision) {
        List<Reason> reasons = Objects.requireNonNull(decision.getReasons(), "reasons (an absent list is empty, never null)");
        StringBuilder out = new StringBuilder(256).append(VERSION_1).append('\n');
        string(out, "intentId", decision.getIntentId());
        string(out, "agentId", decision.getAgentId());
        string(out, "correlationId", decision.getCorrelationId());
        string(out, "outcome", decision.getOutcome() == null ? null : decision.getOutcome().name());
        string(out, "tier", decision.getTier());
        line(out, "reasons", Integer.toString(reasons.size()));
        for (Reason reason : reasons) {
            string(out, "reason.code", reason.getCode() == null ? null : reason.getCode().name());
            string(out, "reason.ruleId", reason.getRuleId());
            string(out, "reason.message", reason.getMessage());
        }
        string(out, "policyVersion", decision.getPolicyVersion());
        instant(out, "decidedAt", decision.getDecidedAt());
        string(out, "decidedBy", decision.getDecidedBy());
        instant(out, "deadline", decision.getDeadline());
        return out.toString();
    }

    private static void string(StringBuilder out, String name, String value) {
        line(out, name, value == null ? NULL : value.getBytes(StandardCharsets.UTF_8).length + ":" + value);
    }

    private static void instant(StringBuilder out, String name, Instant value) {
        line(out, name, value == null ? NULL : Long.toString(value.toEpochMilli()));
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(name).append('=').append(value).append('\n');
    }
}
