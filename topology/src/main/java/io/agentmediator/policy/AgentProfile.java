package io.agentmediator.policy;

import io.agentmediator.rules.RuleVariables;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent the mediator knows: who answers for it, what it may do, how fast and for how much.
 *
 * @param owner               the accountable human, or null
 * @param department          the agent's own department, or null
 * @param suspended           kill switch: every intent is rejected
 * @param publicKey           the Ed25519 key its intents must be signed with, or null when it need not sign
 * @param publicKeyBase64     that key as written in the policy (X.509, base64), so it can be written back
 * @param maxCommitmentMicros above this commitment an intent escalates; null means no limit
 * @param rateLimit           null means no rate limit
 * @param pool                the shared budget pool it also charges, or null
 */
public record AgentProfile(String id, String owner, String department, boolean suspended, PublicKey publicKey,
                           String publicKeyBase64, Capabilities capabilities, Long maxCommitmentMicros,
                           RateLimit rateLimit, List<BudgetLimit> budgets, String pool) {

    public AgentProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(capabilities, "capabilities");
        if ((publicKey == null) != (publicKeyBase64 == null)) {
            throw new IllegalArgumentException("publicKey and publicKeyBase64 go together");
        }
        budgets = Immutables.list(budgets);
    }

    /** The agent as policy rules see it ({@code agent.*} in CEL). */
    public RuleVariables.Agent ruleAgent() {
        return new RuleVariables.Agent(id, owner, department, suspended, pool, Optional.ofNullable(maxCommitmentMicros),
                new RuleVariables.AgentCapabilities(capabilities.actions(), capabilities.targets(), capabilities.dataClasses()));
    }
}
