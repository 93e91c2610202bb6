package io.agentmediator.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps how many agent ids become label values: anyone can produce an intent under any key, so
 * without a cap a stream of made-up agent ids would grow the metrics without bound. The first
 * {@code limit} agents seen keep their id; every later one is counted under {@link #OVERFLOW}.
 */
public final class AgentLabels {

    /** The label value of every agent past the limit. */
    public static final String OVERFLOW = "_other";

    /** The label value of a decision without an agent id (a malformed intent). */
    public static final String NONE = "_none";

    private final int limit;
    private final Set<String> named = ConcurrentHashMap.newKeySet();

    public AgentLabels(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("the agent label limit cannot be negative: " + limit);
        }
        this.limit = limit;
    }

    public String of(String agentId) {
        if (agentId == null || agentId.isBlank()) {
            return NONE;
        }
        if (named.contains(agentId)) {
            return agentId;
        }
        // Two threads may both pass the size check at the limit; one label too many is harmless, a lock per decision is not.
        if (named.size() < limit) {
            named.add(agentId);
            return agentId;
        }
        return OVERFLOW;
    }
}
