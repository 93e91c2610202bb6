package io.agentmediator.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Defensive copies for the policy records: a policy is shared by every stream thread, so nothing in it may change. */
final class Immutables {

    private Immutables() {
    }

    /** An unmodifiable copy; null reads as empty so callers never null-check a policy's lists. */
    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** An unmodifiable copy that keeps the iteration order (the order the policy was written in). */
    static <K, V> Map<K, V> orderedMap(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
