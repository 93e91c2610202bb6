package io.agentmediator.text;

/**
 * Text built from what agents, approvers and executors send, made safe to print: a control
 * character, a line or paragraph separator, or an invisible formatting character (bidirectional
 * overrides, zero-width joiners) is written as its {@code \\uXXXX} escape. A reason text or a log
 * line that quotes an id then cannot forge a second line or hide what it says.
 */
public final class Printable {

    private Printable() {}

    /** {@code text} itself (the same instance) when nothing in it needs escaping, else its escaped copy. */
    public static String escape(String text) {
        if (text == null || text.chars().noneMatch(Printable::unsafe)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (unsafe(c)) {
                escaped.append(String.format("\\u%04x", c));
            } else {
                escaped.append((char) c);
            }
        });
        return escaped.toString();
    }

    /**
     * {@link #escape escaped}, and cut to its first {@code maxChars} characters with how long it was: a value quoted from a
     * record of a megabyte must not make a log line of a megabyte. The cut never splits a character outside the BMP.
     */
    public static String escape(String text, int maxChars) {
        return escape(text == null ? null : cut(text, maxChars));
    }

    /** {@code text} cut to its first {@code maxChars} characters with how long it was ({@code …[N chars]}), not escaped. */
    public static String cut(String text, int maxChars) {
        return text.length() <= maxChars ? text : head(text, maxChars) + "…[" + text.length() + " chars]";
    }

    /**
     * {@code text} as a JSON or Java string literal, quotes included: every UTF-16 unit outside printable ASCII written as its
     * {@code \\uXXXX} escape (a character outside the BMP as its two surrogates, which JSON readers, Python's
     * {@code json.loads} among them, join again), a backslash and a quote escaped. A text longer than {@code maxChars} is cut
     * first and followed, outside the quotes, by how long it was ({@code "abc"...[6 chars]}), so what is between the quotes
     * can be pasted into JSON as it is. It tells apart two spellings that print alike (a letter with an accent, and the
     * letter followed by a combining accent), and an id holding the six characters {@code \\u00C5} from one holding Å.
     */
    public static String quoted(String text, int maxChars) {
        String head = head(text, maxChars);
        StringBuilder literal = new StringBuilder(head.length() + 24).append('"');
        head.chars().forEach(c -> {
            if (c < 0x20 || c > 0x7e) {
                literal.append(String.format("\\u%04X", c));
            } else if (c == '\\' || c == '"') {
                literal.append('\\').append((char) c);
            } else {
                literal.append((char) c);
            }
        });
        literal.append('"');
        return head.length() == text.length() ? literal.toString() : literal + "...[" + text.length() + " chars]";
    }

    /**
     * The first {@code maxChars} characters of {@code text} (all of it when shorter), one fewer where the cut would split a
     * character outside the BMP.
     */
    public static String head(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars);
    }

    private static boolean unsafe(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
