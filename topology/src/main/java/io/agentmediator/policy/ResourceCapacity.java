package io.agentmediator.policy;

import java.util.Objects;

/**
 * How much of the resources whose ids match a glob may be held at once. The glob is compiled once
 * here, because the resource ledger looks capacities up for every claim.
 */
public record ResourceCapacity(Glob glob, long capacity) {

    public ResourceCapacity {
        Objects.requireNonNull(glob, "glob");
    }

    public ResourceCapacity(String pattern, long capacity) {
        this(Glob.compile(pattern), capacity);
    }

    /** The resource id glob as written. */
    public String pattern() {
        return glob.pattern();
    }

    /** Whether this capacity applies to {@code resourceId}. */
    public boolean matches(String resourceId) {
        return glob.matches(resourceId);
    }
}
