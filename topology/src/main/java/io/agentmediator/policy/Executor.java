package io.agentmediator.policy;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * A system that carries out executed intents and reports their outcomes, for the agents and
 * actions its globs match (an empty list matches any; the policy requires at least one of them).
 *
 * @param publicKey       the Ed25519 key its outcomes must be signed with, or null (then, while the
 *                        policy requires signed outcomes, its outcomes are refused)
 * @param publicKeyBase64 that key as written in the policy, so it can be written back
 */
public record Executor(String id, PublicKey publicKey, String publicKeyBase64, List<String> agents, List<String> actions) {

    public Executor {
        Objects.requireNonNull(id, "id");
        agents = Immutables.list(agents);
        actions = Immutables.list(actions);
        if ((publicKey == null) != (publicKeyBase64 == null)) {
            throw new IllegalArgumentException("publicKey and publicKeyBase64 go together");
        }
    }

    /** Whether it executes {@code action} for {@code agentId}. */
    public boolean executesFor(String agentId, String action) {
        return matchesAny(agents, agentId) && matchesAny(actions, action);
    }

    private static boolean matchesAny(List<String> globs, String value) {
        return globs.isEmpty() || value != null && globs.stream().anyMatch(glob -> Glob.compile(glob).matches(value));
    }
}
