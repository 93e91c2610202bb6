package io.agentmediator.controls;

import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.ReasonCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kill switches in force on this instance, shared by every stream thread. Applied by the
 * {@link ControlLoader} on the global thread the moment a control is read, so every instance
 * stops an agent at once, without a policy change.
 */
public final class Suspensions {

    /** The scope of a control that suspends every agent. */
    public static final String ALL = "*";

    /** Per scope: the switch put in force ahead of its judgement when there is one, else the judged switch. */
    private final Map<String, Suspension> inForce = new ConcurrentHashMap<>();
    /**
     * Switches this instance put in force before the mediator judged them ({@link SuspendAtOnce}), each later than what was
     * judged when it was put, until a judged control as late comes or it lapses.
     */
    private final Map<String, Early> early = new ConcurrentHashMap<>();
    /** The control last accepted for each scope, as the global thread put it in force: what a SUSPEND must be later than. */
    private final Map<String, AcceptedControl> accepted = new ConcurrentHashMap<>();
    private final ControlRefusals refusals = new ControlRefusals();
    private final AtomicLong pulls = new AtomicLong();
    /** Held by every change of what is in force; reads go without it. */
    private final Object changes = new Object();

    /** A switch in force ahead of its judgement, and when it lapses if no judged control for its scope has come by then. */
    private record Early(Suspension suspension, Instant lapsesAt) {}

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

    /** Every switch in force, by scope. */
    public Map<String, Suspension> all() {
        return Map.copyOf(inForce);
    }

    /**
     * How many times a switch was pulled on this instance, the same one again after it was lifted too: a check that finds
     * the count moved since it last looked reads every escalation again, as some may have opened while it was lifted.
     */
    public long pulls() {
        return pulls.get();
    }

    /** The controls this instance refused, by reason. */
    public ControlRefusals refusals() {
        return refusals;
    }

    /**
     * Notes {@code control}, accepted by the mediator for {@code scope}: a SUSPEND is the scope's judged switch, a RESUME
     * lifts it. A switch put in force ahead of its judgement stays in force over it unless the control is as late: what an
     * instance reads first (its store at a start, the accepted topic replayed) is older than what was sent since. One lock for
     * every change, so that a switch put in force ahead is judged against what is in force when it is put.
     */
    void accept(String scope, AcceptedControl control) {
        synchronized (changes) {
            accepted.put(scope, control);
            if (control.control().action() == ControlAction.SUSPEND) {
                pulls.incrementAndGet();
            }
            Early pending = early.get(scope);
            if (pending != null && !pending.suspension().at().isAfter(control.notBefore())) {
                early.remove(scope);
            }
            refresh(scope);
        }
    }

    /** The accepted control of {@code scope} removed (a tombstone): its judged switch is lifted, one put in force ahead stays. */
    void forget(String scope) {
        synchronized (changes) {
            accepted.remove(scope);
            refresh(scope);
        }
    }

    /** The control last accepted for {@code scope}, or null. */
    AcceptedControl accepted(String scope) {
        return accepted.get(scope);
    }

    /**
     * Puts {@code suspension} in force before the mediator has judged it, when the control accepted for its scope is still
     * {@code judgedAgainst} (what it was found later than) and it is later than the switch of its scope in force, if any; it
     * lapses at {@code lapsesAt} unless a judged control as late comes first. Whether it was put in force.
     */
    boolean suspendEarly(Suspension suspension, AcceptedControl judgedAgainst, Instant lapsesAt) {
        synchronized (changes) {
            Suspension current = inForce.get(suspension.scope());
            if (accepted.get(suspension.scope()) != judgedAgainst || (current != null && !suspension.at().isAfter(current.at()))) {
                return false;
            }
            early.put(suspension.scope(), new Early(suspension, lapsesAt));
            pulls.incrementAndGet();
            refresh(suspension.scope());
            return true;
        }
    }

    /** Lifts the switches put in force early whose judgement has not come by {@code now}; the scopes where they were. */
    List<String> lapse(Instant now) {
        synchronized (changes) {
            List<String> lapsed = new ArrayList<>();
            early.forEach((scope, pending) -> {
                if (!now.isBefore(pending.lapsesAt())) {
                    lapsed.add(scope);
                }
            });
            lapsed.forEach(scope -> {
                early.remove(scope);
                refresh(scope);
            });
            return lapsed;
        }
    }

    /** What is in force for {@code scope}: the switch put in force ahead, else the accepted SUSPEND, else nothing. */
    private void refresh(String scope) {
        Early pending = early.get(scope);
        AcceptedControl judged = accepted.get(scope);
        Suspension now = pending != null ? pending.suspension()
                : judged != null && judged.control().action() == ControlAction.SUSPEND ? Suspension.of(scope, judged.control()) : null;
        if (now == null) {
            inForce.remove(scope);
        } else {
            inForce.put(scope, now);
        }
    }
}
