package io.agentmediator.audit;

import java.util.List;
import java.util.Optional;

/**
 * The keys of the audit topic besides intent ids: intents whose id is not trusted or missing, answers that matched no
 * case and policy documents are filed under keys of the mediator's own. The topic is compacted, so an intent id of one
 * of those forms would replace that record (the evidence of a forged intent or a forged approval among them): no intent
 * id may take one.
 */
public final class AuditKeys {

    private static final String UNTRUSTED = "untrusted:";
    private static final String UNIDENTIFIED = "unidentified:";
    static final String POLICY = "policy:";
    private static final List<String> PREFIXES = List.of(UNTRUSTED, UNIDENTIFIED, POLICY);
    /** What {@link #unmatchedAnswer} puts between the intent id and where, for each kind of answer. */
    private static final List<String> ANSWER_MARKERS = List.of(marker("approval"), marker("outcome"));

    private AuditKeys() {}

    /** An intent rejected before its id was trusted, filed under where it was read. */
    public static String untrusted(String where, String intentId) {
        return UNTRUSTED + where + ":" + intentId;
    }

    /** An intent without an id, filed under where it was read. */
    public static String unidentified(String where) {
        return UNIDENTIFIED + where;
    }

    /** An approval or outcome ({@code kind}) that matched no case, filed under where it was read so it overwrites none. */
    public static String unmatchedAnswer(String intentId, String kind, String where) {
        return intentId + marker(kind) + where;
    }

    private static String marker(String kind) {
        return "#" + kind + "@";
    }

    /** Why {@code intentId} may not key a case file, being of the form of the mediator's own keys; empty when it may. */
    public static Optional<String> reservedForm(String intentId) {
        for (String prefix : PREFIXES) {
            if (intentId.startsWith(prefix)) {
                return Optional.of("intentId starts with \"" + prefix + "\", as the audit keys the mediator files its own records under");
            }
        }
        for (String marker : ANSWER_MARKERS) {
            if (intentId.contains(marker)) {
                return Optional.of("intentId contains \"" + marker + "\", as the audit keys of answers that matched no case");
            }
        }
        return Optional.empty();
    }
}
