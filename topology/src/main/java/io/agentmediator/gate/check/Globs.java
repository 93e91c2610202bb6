package io.agentmediator.gate.check;

import io.agentmediator.policy.Glob;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Matching against a policy's glob lists on the hot path. Policies hold patterns as text;
 * each is compiled once here and shared by every stream thread.
 */
final class Globs {

    private static final Map<String, Glob> COMPILED = new ConcurrentHashMap<>();

    private Globs() {}

    static boolean matchesAny(List<String> patterns, String text) {
        for (String pattern : patterns) {
            if (COMPILED.computeIfAbsent(pattern, Glob::compile).matches(text)) {
                return true;
            }
        }
        return false;
    }
}
