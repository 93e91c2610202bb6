package io.agentmediator.gate.check;

import io.agentmediator.policy.Glob;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Matching against a policy's glob lists on the hot path. Policies hold patterns as text;
 * each is compiled once here and shared by every stream thread.
 *
 * <p>Compiled globs are kept up to {@link #MAX_CHARS} characters of their patterns, then all dropped and compiled again as
 * they are met: kept for good, every version of the policy ever in force stayed in every instance's heap, each glob up
 * to {@code limits.text.max.chars} long. One policy document (at most a megabyte) never fills it.
 */
final class Globs {

    static final long MAX_CHARS = 4_000_000;

    private static final Map<String, Glob> COMPILED = new ConcurrentHashMap<>();
    private static final AtomicLong CHARS = new AtomicLong();

    private Globs() {}

    static boolean matchesAny(List<String> patterns, String text) {
        for (String pattern : patterns) {
            if (compiled(pattern).matches(text)) {
                return true;
            }
        }
        return false;
    }

    private static Glob compiled(String pattern) {
        Glob kept = COMPILED.get(pattern);
        if (kept != null) {
            return kept;
        }
        Glob glob = Glob.compile(pattern);
        if (CHARS.addAndGet(pattern.length()) > MAX_CHARS) {
            // Threads racing here may each clear: the count is an estimate, the bound holds within a pattern or two.
            COMPILED.clear();
            CHARS.set(pattern.length());
        }
        Glob raced = COMPILED.putIfAbsent(pattern, glob);
        return raced != null ? raced : glob;
    }

    /** Characters of the patterns kept now. */
    static long keptChars() {
        return COMPILED.keySet().stream().mapToLong(String::length).sum();
    }
}
