package io.agentmediator.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Caps how many agent ids become label values: anyone can produce an intent under any key, so
 * without a cap a stream of made-up agent ids would grow the metrics without bound. Agents the policy
 * in force names always keep their id: operators bound their number, and their budget gauges carry it
 * too. Of the others, the first {@code limit} seen keep their id; every later one is counted under
 * {@link #OVERFLOW}.
 */
public final class AgentLabels {

    /** The label value of every agent past the limit. */
    public static final String OVERFLOW = "_other";

    /** The label value of a decision without an agent id (a malformed intent). */
    public static final String NONE = "_none";

    private final int limit;
    private final Set<String> named = ConcurrentHashMap.newKeySet();
    private final Set<String> strangers = ConcurrentHashMap.newKeySet();
    private volatile Predicate<String> registered = agentId -> false;

    public AgentLabels(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("the agent label limit cannot be negative: " + limit);
        }
        this.limit = limit;
    }

    /**
     * The agents that keep their id whatever the limit: those of the policy in force, asked when an agent is first seen
     * (a reloaded policy's new agents too). Without it, made-up ids seen first would leave a registered agent counted
     * under {@link #OVERFLOW} until the next restart.
     */
    public void registered(Predicate<String> inPolicy) {
        registered = inPolicy;
    }

    public String of(String agentId) {
        if (agentId == null || agentId.isBlank()) {
            return NONE;
        }
        if (named.contains(agentId)) {
            return agentId;
        }
        if (registered.test(agentId)) {
            named.add(agentId);
            return agentId;
        }
        // Two threads may both pass the size check at the limit; one label too many is harmless, a lock per decision is not.
        if (strangers.size() < limit) {
            strangers.add(agentId);
            named.add(agentId);
            return agentId;
        }
        return OVERFLOW;
    }
}
