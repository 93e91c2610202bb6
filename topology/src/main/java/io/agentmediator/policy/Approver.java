package io.agentmediator.policy;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * Someone who may answer escalations up to {@code tier}; when {@code departments} is not empty, only
 * for agents of those departments.
 *
 * @param publicKey           the Ed25519 key its approvals must be signed with, or null (then, while the
 *                            policy requires signed approvals, its approvals are refused)
 * @param publicKeyBase64     that key as written in the policy, so it can be written back
 * @param workers             for an approver that is itself an agent (a supervisor): globs of the agent
 *                            ids whose escalations it may answer; it answers no other agent's
 * @param answersForOwnAgents whether it may answer escalations of agents it is the {@code owner} of;
 *                            false by default, since an owner vouching for its own agent is no oversight
 */
public record Approver(String id, String tier, List<String> departments, PublicKey publicKey, String publicKeyBase64,
                       List<String> workers, boolean answersForOwnAgents) {

    public Approver {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tier, "tier");
        departments = Immutables.list(departments);
        workers = Immutables.list(workers);
        if ((publicKey == null) != (publicKeyBase64 == null)) {
            throw new IllegalArgumentException("publicKey and publicKeyBase64 go together");
        }
    }

    /** An approver without a key, workers or leave to answer for its own agents. */
    public Approver(String id, String tier, List<String> departments) {
        this(id, tier, departments, null, null, List.of(), false);
    }

    /** Whether a supervisor agent may answer for {@code agentId}: one of its workers' globs matches it. */
    public boolean supervises(String agentId) {
        return workers.stream().anyMatch(worker -> Glob.compile(worker).matches(agentId));
    }
}
