package io.agentmediator.policy;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
  * The policy in force, shared by every stream thread of this instance. Replaced as a whole, so
  * a decision always sees one consistent version.
  */
public final class CurrentPolicy {

    private final AtomicReference<Policy> policy;

    public CurrentPolicy(Policy initial) {
        this.policy = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    public Policy get() {
        return policy.get();
    }

    public void replace(Policy next) {
        policy.set(Objects.requireNonNull(next));
    }
}
