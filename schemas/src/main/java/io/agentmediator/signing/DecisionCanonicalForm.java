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
 * version never verify as another.
 *
 * <h2>Version 2</h2>
 * Version 1 says nothing of what the intent was: a signed EXECUTE for a cheap intent read the same
 * as one for an expensive intent with the same id. Version 2 is version 1 with the first line
 * {@value #VERSION_2} and five more lines after {@code deadline}, binding the decision to the
 * intent it approves:
 * <pre>
 * intentSha256=STRING      SHA-256 of the intent's value bytes, 64 lowercase hex digits
 * action=STRING
 * target=STRING
 * costMicros=LONG
 * commitmentMicros=LONG
 * </pre>
 * LONG is {@code ~} for null, otherwise the number in decimal with a leading {@code -} when
 * negative and no leading zeros. The mediator signs version 2; {@link DecisionVerifier} still
 * accepts version 1 for a decision that has none of these five fields (one made before they existed).
 *
 * <p>Example: a decision with intentId "i-1" and no tier starts
 * {@code agent-mediator-decision-v1\nintentId=3:i-1\n} and has the line {@code tier=~}.
 * docs/SIGNING.md has a complete test vector.
 */
public final class DecisionCanonicalForm {

    /** The first line of version 1. */
    public static final String VERSION_1 = "agent-mediator-decision-v1";
    /** The first line of version 2, which the mediator signs. */
    public static final String VERSION_2 = "agent-mediator-decision-v2";

    private static final String NULL = "~";

    private DecisionCanonicalForm() {
    }

    /** The canonical form, version 2, as bytes: what the mediator signs. */
    public static byte[] bytes(Decision decision) {
        return text(decision).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical form, version 2, as text (its UTF-8 encoding is {@link #bytes}), for tests and debugging. */
    public static String text(Decision decision) {
        StringBuilder out = common(new StringBuilder(384).append(VERSION_2).append('\n'), decision);
        string(out, "intentSha256", decision.getIntentSha256());
        string(out, "action", decision.getAction());
        string(out, "target", decision.getTarget());
        number(out, "costMicros", decision.getCostMicros());
        number(out, "commitmentMicros", decision.getCommitmentMicros());
        return out.toString();
    }

    /** The canonical form, version 1, as bytes: what the mediator signed before version 2. */
    public static byte[] bytesV1(Decision decision) {
        return textV1(decision).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical form, version 1, as text. */
    public static String textV1(Decision decision) {
        return common(new StringBuilder(256).append(VERSION_1).append('\n'), decision).toString();
    }

    /** Whether the decision has none of the fields version 2 added, so that version 1 covers all it says. */
    public static boolean withinVersion1(Decision decision) {
        return decision.getIntentSha256() == null && decision.getAction() == null && decision.getTarget() == null
                && decision.getCostMicros() == null && decision.getCommitmentMicros() == null;
    }

    /** The lines both versions share, after the version line. */
    private static StringBuilder common(StringBuilder out, Decision decision) {
        List<Reason> reasons = Objects.requireNonNull(decision.getReasons(), "reasons (an absent list is empty, never null)");
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
        return out;
    }

    private static void string(StringBuilder out, String name, String value) {
        line(out, name, value == null ? NULL : value.getBytes(StandardCharsets.UTF_8).length + ":" + value);
    }

    private static void instant(StringBuilder out, String name, Instant value) {
        line(out, name, value == null ? NULL : Long.toString(value.toEpochMilli()));
    }

    private static void number(StringBuilder out, String name, Long value) {
        line(out, name, value == null ? NULL : Long.toString(value));
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(name).append('=').append(value).append('\n');
    }
}
