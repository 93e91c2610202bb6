package io.agentmediator.rules;

/**
 * What a regular expression would compile to, read from its text before it is compiled: RE2J copies a counted repeat's
 * operand once per count, so {@code ((a{1000}){1000}){1000}}, 23 characters, compiles to 10^9 instructions, and the heap
 * runs out while the pattern is still being built. RE2 (C++) refuses nested repeats whose counts multiply past
 * {@value #MAX_NESTED_REPEAT}; RE2J does not, so this does before RE2J sees the pattern.
 *
 * <p>The reading errs towards more: an unknown construct counts as an atom, an unbalanced parenthesis as a group, quoted
 * text ({@code \Q...\E}) as literal characters, as RE2 reads it. A pattern it misreads the other way is one RE2J refuses
 * to parse, which it does before expanding anything.
 *
 * @param instructions about how many instructions the compiled program has: a repeat's operand counted once per count
 * @param nestedRepeat the largest product of the counts of repeats nested in one another
 */
record RegexCost(long instructions, long nestedRepeat) {

    /** RE2's own limit on nested repeat counts (kMaxRepeat), which RE2J does not apply. */
    static final long MAX_NESTED_REPEAT = 1000;
    /** Past any count RE2 accepts: a larger one is a syntax error, and the products stay far from overflowing. */
    private static final long COUNT_CAP = 100_000;

    static RegexCost of(String pattern) {
        Reader reader = new Reader(pattern);
        // A program starts with a failure, then its empty-width start, and ends with a match.
        RegexCost cost = new RegexCost(3, 1);
        while (reader.more()) {
            // A ')' with no group open ends a sequence early; what follows is read as another.
            cost = cost.then(reader.sequence());
        }
        return cost;
    }

    private RegexCost then(RegexCost next) {
        return new RegexCost(saturated(instructions + next.instructions), Math.max(nestedRepeat, next.nestedRepeat));
    }

    /** The operand copied {@code max} times, those past {@code min} each behind a branch, and a branch or loop around it all. */
    private RegexCost repeated(Repeat repeat) {
        return new RegexCost(saturated(instructions * repeat.max + (repeat.max - repeat.min) + 1),
                repeat.max > 1 ? saturated(nestedRepeat * repeat.max) : nestedRepeat);
    }

    /** A quantifier: {@code *} is none or one copy and a loop, {@code {n,}} n copies and a loop. */
    private record Repeat(long min, long max) {
    }

    private static long saturated(long value) {
        return value < 0 || value > Long.MAX_VALUE / COUNT_CAP ? Long.MAX_VALUE / COUNT_CAP : value;
    }

    private static final class Reader {

        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        boolean more() {
            return at < text.length();
        }

        /** Atoms and alternatives up to the ')' that closes the group, or the end; the ')' is taken. */
        RegexCost sequence() {
            RegexCost cost = new RegexCost(0, 1);
            while (more()) {
                char c = text.charAt(at);
                if (c == ')') {
                    at++;
                    return cost;
                }
                if (c == '|') {
                    at++;
                    cost = cost.then(new RegexCost(1, 1));
                    continue;
                }
                RegexCost atom = atom();
                for (Repeat repeat = quantifier(); repeat != null; repeat = quantifier()) {
                    atom = atom.repeated(repeat);
                }
                cost = cost.then(atom);
            }
            return cost;
        }

        private RegexCost atom() {
            char c = text.charAt(at);
            if (c == '(') {
                at++;
                RegexCost inner = sequence();
                return new RegexCost(saturated(inner.instructions + 2), inner.nestedRepeat);
            }
            if (text.startsWith("\\Q", at)) {
                return quoted();
            }
            if (c == '[') {
                skipClass();
            } else if (c == '\\') {
                skipEscape();
            } else {
                at += Character.charCount(text.codePointAt(at));
            }
            return new RegexCost(1, 1);
        }

        /** The quantifier here, applying to the atom before it, or null where there is none. */
        private Repeat quantifier() {
            if (!more()) {
                return null;
            }
            char c = text.charAt(at);
            if (c == '*' || c == '+' || c == '?') {
                at++;
                return new Repeat(c == '+' ? 1 : 0, 1);
            }
            if (c != '{') {
                return null;
            }
            // {n}, {n,} or {n,m}; anything else is a literal brace, read as an atom.
            int end = at + 1;
            long min = 0;
            int digits = 0;
            for (; end < text.length() && Character.isDigit(text.charAt(end)); end++, digits++) {
                min = Math.min(COUNT_CAP, min * 10 + (text.charAt(end) - '0'));
            }
            if (digits == 0 || end >= text.length()) {
                return null;
            }
            long max = min;
            if (text.charAt(end) == ',') {
                end++;
                max = min + 1;
                long upper = 0;
                int upperDigits = 0;
                for (; end < text.length() && Character.isDigit(text.charAt(end)); end++, upperDigits++) {
                    upper = Math.min(COUNT_CAP, upper * 10 + (text.charAt(end) - '0'));
                }
                if (upperDigits > 0) {
                    max = Math.max(min, upper);
                }
            }
            if (end >= text.length() || text.charAt(end) != '}') {
                return null;
            }
            at = end + 1;
            return new Repeat(Math.min(min, max), Math.max(1, max));
        }

        /**
         * {@code \Q...\E}: literal text to the {@code \E} or the end, an instruction a character. Counted as one atom, so a
         * quantifier after it counts the whole text again where RE2 repeats its last character: more, never less.
         */
        private RegexCost quoted() {
            int start = at + 2;
            int end = text.indexOf("\\E", start);
            at = end < 0 ? text.length() : end + 2;
            return new RegexCost(Math.max(1, (end < 0 ? text.length() : end) - start), 1);
        }

        /** A character class, to its closing ']': a ']' first (after '^') is a member, escapes and [:name:] are read whole. */
        private void skipClass() {
            at++;
            if (more() && text.charAt(at) == '^') {
                at++;
            }
            if (more() && text.charAt(at) == ']') {
                at++;
            }
            while (more() && text.charAt(at) != ']') {
                if (text.charAt(at) == '\\') {
                    skipEscape();
                } else if (text.startsWith("[:", at) && text.indexOf(":]", at + 2) > 0) {
                    at = text.indexOf(":]", at + 2) + 2;
                } else {
                    at++;
                }
            }
            at++;
        }

        /** A backslash and what it escapes; a \p{...} or \x{...} to its brace. */
        private void skipEscape() {
            at++;
            if (!more()) {
                return;
            }
            char escaped = text.charAt(at);
            at++;
            if ((escaped == 'p' || escaped == 'P' || escaped == 'x') && more() && text.charAt(at) == '{') {
                int close = text.indexOf('}', at);
                at = close < 0 ? text.length() : close + 1;
            }
        }
    }
}
