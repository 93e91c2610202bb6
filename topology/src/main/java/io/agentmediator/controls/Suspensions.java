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

    private final Map<String, Suspension> inForce = new ConcurrentHashMap<>();
    /** Switches this instance put in force before the mediator judged them ({@link SuspendAtOnce}), until the judged one comes. */
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
     * Puts in force {@code control}, accepted by the mediator for {@code scope}. A SUSPEND takes the place of a switch of its
     * scope put in force ahead of it; a RESUME lifts the switch, but for one put in force ahead of its judgement that is later
     * than it (what an instance starting reads first is the last control accepted, then what was sent since). One lock for
     * every change, so that a switch put in force ahead is judged against what is in force when it is put.
     */
    void accept(String scope, AcceptedControl control) {
        synchronized (changes) {
            accepted.put(scope, control);
            if (control.control().action() == ControlAction.SUSPEND) {
                Control suspend = control.control();
                inForce.put(scope, new Suspension(scope, suspend.reason(), suspend.by(), suspend.at()));
                early.remove(scope);
                pulls.incrementAndGet();
            } else {
                liftUnlessLater(scope, control.notBefore());
            }
        }
    }

    /** The accepted control of {@code scope} removed (a tombstone): its switch is lifted, but for one put in force ahead. */
    void forget(String scope) {
        synchronized (changes) {
            accepted.remove(scope);
            liftUnlessLater(scope, Instant.MIN);
        }
    }

    private void liftUnlessLater(String scope, Instant than) {
        Early pending = early.get(scope);
        if (pending != null && pending.suspension().at().isAfter(than)) {
            return;
        }
        inForce.remove(scope);
        early.remove(scope);
    }

    /** The control last accepted for {@code scope}, or null. */
    AcceptedControl accepted(String scope) {
        return accepted.get(scope);
    }

    /**
     * Puts {@code suspension} in force before the mediator has judged it, when the control accepted for its scope is still
     * {@code judgedAgainst} (what it was found later than) and no switch of its scope is on; it lapses at {@code lapsesAt}
     * unless the judged control comes first. Whether it was put in force.
     */
    boolean suspendEarly(Suspension suspension, AcceptedControl judgedAgainst, Instant lapsesAt) {
        synchronized (changes) {
            if (accepted.get(suspension.scope()) != judgedAgainst || inForce.containsKey(suspension.scope())) {
                return false;
            }
            inForce.put(suspension.scope(), suspension);
            early.put(suspension.scope(), new Early(suspension, lapsesAt));
            pulls.incrementAndGet();
            return true;
        }
    }

    /** Lifts the switches put in force early whose judgement has not come by {@code now}; the scopes lifted. */
    List<String> lapse(Instant now) {
        synchronized (changes) {
            List<String> lapsed = new ArrayList<>();
            early.entrySet().removeIf(entry -> {
                if (now.isBefore(entry.getValue().lapsesAt())) {
                    return false;
                }
                inForce.remove(entry.getKey());
                lapsed.add(entry.getKey());
                return true;
            });
            return lapsed;
        }
    }
}
