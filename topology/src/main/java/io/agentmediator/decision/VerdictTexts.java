package io.agentmediator.decision;

import io.agentmediator.text.Printable;

/**
 * The texts of one verdict (its reasons' messages and its checks' details) made printable and small enough for every
 * record that quotes them. They quote the intent and the policy: an agent's allowed targets, a data flow's globs, the value
 * a rule evaluated to, a rule's message. A policy within its own limits could still make them megabytes (long lists, and
 * invisible characters each escaped as six), and a decision or case file over the producer's size limit is dead-lettered,
 * the intent left undecided. So each text keeps at most {@link #TEXT_MAX_CHARS} characters once escaped, and together at most
 * {@link #BUDGET_CHARS}; a text past that keeps only how long it was. A case file quotes the decision's reasons beside its
 * checks, so its share is at most twice that.
 *
 * <p>Applied again to texts it produced, it changes nothing: a verdict finished later (a claim answered) is built anew
 * from the one before.
 */
final class VerdictTexts {

    static final int TEXT_MAX_CHARS = 2_000;
    static final int BUDGET_CHARS = 32_000;
    /** Texts this short always stay as they are: a cut text's marker is one of them, so a second pass keeps it. */
    private static final int SHORT_CHARS = 32;

    private int left = BUDGET_CHARS;

    /** {@code text} itself when it needs nothing, else what it keeps. */
    String bounded(String text) {
        if (text == null) {
            return null;
        }
        String safe = Printable.escape(text);
        int length = safe.length();
        if (length <= SHORT_CHARS) {
            return safe;
        }
        String kept = length > TEXT_MAX_CHARS + SHORT_CHARS ? Printable.head(safe, TEXT_MAX_CHARS) + marker(length) : safe;
        if (kept.length() > left) {
            return marker(length);
        }
        left -= kept.length();
        return kept;
    }

    private static String marker(int length) {
        return "…[" + length + " chars]";
    }
}
