package io.agentmediator.policy;

import java.util.Objects;

/**
 * A wildcard pattern for action, target and resource ids: {@code *} matches any run of characters
 * (also none), {@code ?} exactly one; everything else is literal and case-sensitive.
 *
 * <p>Matching walks the pattern directly rather than translating it to a regular expression, so ids
 * full of regex metacharacters ({@code llm:large}, {@code budget-line:4711.a}) need no escaping and a
 * match never backtracks more than once per {@code *}.
 */
public final class Glob {

    private static final int ANY_RUN = '*';
    private static final int ANY_ONE = '?';

    private final String pattern;
    private final int[] codePoints;

    private Glob(String pattern) {
        this.pattern = pattern;
        this.codePoints = pattern.codePoints().toArray();
    }

    /** Compiles {@code pattern} once; the result is immutable and can be shared freely. */
    public static Glob compile(String pattern) {
        return new Glob(Objects.requireNonNull(pattern, "pattern"));
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    /** Whether the whole of {@code text} matches (not just a part of it). */
    public boolean matches(String text) {
        int p = 0;
        int t = 0;
        int lastStar = -1;
        int textAtLastStar = 0;
        while (t < text.length()) {
            int c = text.codePointAt(t);
            if (p < codePoints.length && (codePoints[p] == ANY_ONE || codePoints[p] == c)) {
                p++;
                t += Character.charCount(c);
            } else if (p < codePoints.length && codePoints[p] == ANY_RUN) {
                lastStar = p++;
                textAtLastStar = t;
            } else if (lastStar >= 0) {
                // The last * swallows one more character and the rest of the pattern is tried again from there.
                p = lastStar + 1;
                textAtLastStar += Character.charCount(text.codePointAt(textAtLastStar));
                t = textAtLastStar;
            } else {
                return false;
            }
        }
        while (p < codePoints.length && codePoints[p] == ANY_RUN) {
            p++;
        }
        return p == codePoints.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Glob glob && glob.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
