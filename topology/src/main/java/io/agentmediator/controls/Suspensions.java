package io.agentmediator.controls;

import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.ReasonCode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kill switches in force on this instance, shared by every stream thread. Applied by the
 * {@link ControlLoader} on the global thread the moment a control is read, so every instance
 * stops an agent at once, without a policy change.
 */
public final class Suspensions {

    /** The scope of a control that suspends every agent. */
    public static final String ALL = "*";

    private final Map<String, Suspension> inForce = new ConcurrentHashMap<>();
    /** When a switch was last pulled on each scope, by the acceptor's clock, lifted since or not. */
    private final Map<String, Instant> switchedAt = new ConcurrentHashMap<>();
    private final ControlRefusals refusals = new ControlRefusals();

    /** Why {@code agentId} is suspended now (its own switch first, then the one for every agent), or empty. */
    public Optional<Suspension> of(String agentId) {
        Suspension own = agentId == null ? null : inForce.get(agentId);
        return Optional.ofNullable(own != null ? own : inForce.get(ALL));
    }

    /**
     * Why {@code agentId} may not finish what it started, or empty, in the order the gate checks: the
     * policy in force no longer listing it, an operator's kill switch (its own, then every agent's), or
     * the policy suspending it.
     */
    public Optional<AgentBar> bar(String agentId, Policy inForce) {
        Optional<AgentProfile> listed = inForce.agent(agentId);
        if (listed.isEmpty()) {
            return Optional.of(new AgentBar(ReasonCode.UNKNOWN_AGENT, "dropped by policy " + inForce.version()));
        }
        Optional<Suspension> switched = of(agentId);
        if (switched.isPresent()) {
            return Optional.of(new AgentBar(ReasonCode.AGENT_SUSPENDED, switched.get().describePast()));
        }
        return listed.filter(AgentProfile::suspended)
                .map(agent -> new AgentBar(ReasonCode.AGENT_SUSPENDED, "suspended in policy " + inForce.version()));
    }

    /**
     * Why {@code agentId} may not finish what it started and has had pending since {@code pendingSince}: as {@link #bar(String,
     * Policy)}, or a switch pulled on it (or on every agent) after that, though lifted since. Pulled while the intent was
     * pending (waiting for its dependencies, out to the ledger, escalated), the switch closed it, or would have at its next
     * check: lifted before that, the intent would otherwise be executed once the operator let the agent go on.
     */
    public Optional<AgentBar> bar(String agentId, Policy inForce, Instant pendingSince) {
        return bar(agentId, inForce).or(() -> switchedSince(agentId, pendingSince)
                .map(at -> new AgentBar(ReasonCode.AGENT_SUSPENDED, "suspended at " + at + " (a switch lifted since)")));
    }

    /** The latest time a switch was pulled on {@code agentId} or on every agent after {@code since}, or empty. */
    public Optional<Instant> switchedSince(String agentId, Instant since) {
        if (since == null) {
            return Optional.empty();
        }
        Instant own = agentId == null ? null : switchedAt.get(agentId);
        Instant all = switchedAt.get(ALL);
        Instant latest = own == null ? all : all == null || own.isAfter(all) ? own : all;
        return Optional.ofNullable(latest).filter(at -> at.isAfter(since));
    }

    /** When a switch was last pulled on each scope: a change is a switch that may have closed what was open. */
    public Map<String, Instant> switchTimes() {
        return Map.copyOf(switchedAt);
    }

    /** Every switch in force, by scope. */
    public Map<String, Suspension> all() {
        return Map.copyOf(inForce);
    }

    /** The controls this instance refused, by reason. */
    public ControlRefusals refusals() {
        return refusals;
    }

    void suspend(Suspension suspension) {
        inForce.put(suspension.scope(), suspension);
    }

    void resume(String scope) {
        inForce.remove(scope);
    }

    void switched(String scope, Instant at) {
        switchedAt.merge(scope, at, (kept, given) -> given.isAfter(kept) ? given : kept);
    }
}
