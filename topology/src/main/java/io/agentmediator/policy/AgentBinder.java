package io.agentmediator.policy;

import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds the policy's {@code agents}: identity, capabilities, authority, rate limit, budgets and pool. */
final class AgentBinder {

    static final List<String> AGENT_KEYS = List.of("id", "owner", "department", "suspended", "publicKey",
            "capabilities", "authority", "rateLimit", "budgets", "pool");
    static final List<String> CAPABILITY_KEYS = List.of("actions", "targets", "dataClasses");
    static final List<String> AUTHORITY_KEYS = List.of("maxCommitmentMicros");
    static final List<String> RATE_LIMIT_KEYS = List.of("capacity", "refillPerSecond");

    private final Problems problems;
    private final BudgetBinder budgets;
    private final UniqueIds poolIds;
    private final UniqueIds agentIds;
    private final IntentIdPrefix intentIdPrefix;

    AgentBinder(Problems problems, UniqueIds poolIds, IntentIdPrefix intentIdPrefix) {
        this.problems = problems;
        this.budgets = new BudgetBinder(problems);
        this.poolIds = poolIds;
        this.agentIds = new UniqueIds(problems, "agent id");
        this.intentIdPrefix = intentIdPrefix;
    }

    /** The sound agents by id, in document order; the others are reported. */
    Map<String, AgentProfile> agents(Fields document) {
        Map<String, AgentProfile> agents = new LinkedHashMap<>();
        for (PolicyNode item : document.sequence("agents")) {
            AgentProfile agent = agent(item);
            if (agent != null) {
                agents.putIfAbsent(agent.id(), agent);
            }
        }
        return agents;
    }

    private AgentProfile agent(PolicyNode node) {
        Fields agent = Fields.of(node, problems, AGENT_KEYS);
        if (agent == null) {
            return null;
        }
        int before = problems.count();
        String id = agent.requiredString("id");
        if (id != null) {
            agentIds.add(id, agent.node("id"));
            intentIdPrefix.agentIdProblem(id).ifPresent(problem -> agent.problem("id", "agent id \"" + id + "\" " + problem));
        }
        String owner = agent.string("owner");
        String department = agent.string("department");
        Boolean suspended = agent.bool("suspended");
        String publicKeyBase64 = agent.string("publicKey");
        PublicKey publicKey = Ed25519Keys.read(agent, "publicKey");
        Capabilities capabilities = capabilities(agent.mapping("capabilities", CAPABILITY_KEYS));
        Fields authority = agent.mapping("authority", AUTHORITY_KEYS);
        Long maxCommitmentMicros = authority == null ? null : authority.amount("maxCommitmentMicros");
        RateLimit rateLimit = rateLimit(agent.mapping("rateLimit", RATE_LIMIT_KEYS));
        List<BudgetLimit> budgetLimits = budgets.budgets(agent);
        String pool = pool(agent);
        if (problems.count() > before) {
            return null;
        }
        return new AgentProfile(id, owner, department, Boolean.TRUE.equals(suspended),
                publicKey, publicKeyBase64, capabilities, maxCommitmentMicros, rateLimit, budgetLimits, pool);
    }

    private Capabilities capabilities(Fields capabilities) {
        if (capabilities == null) {
            return new Capabilities(List.of(), List.of(), List.of());
        }
        return new Capabilities(capabilities.strings("actions"), capabilities.strings("targets"),
                capabilities.strings("dataClasses"));
    }

    private RateLimit rateLimit(Fields rateLimit) {
        if (rateLimit == null) {
            return null;
        }
        Long capacity = rateLimit.requiredInteger("capacity");
        if (capacity != null && capacity < 1) {
            rateLimit.problem("capacity", "must be at least 1 (the largest burst), found " + capacity);
        }
        if (capacity != null && capacity > RateLimit.MAX_CAPACITY) {
            rateLimit.problem("capacity", "must be at most " + RateLimit.MAX_CAPACITY + ", found " + capacity);
        }
        Double refill = rateLimit.requiredNumber("refillPerSecond");
        if (refill != null && refill <= 0) {
            rateLimit.problem("refillPerSecond", "must be above 0, found " + refill);
        }
        return capacity == null || refill == null ? null : new RateLimit(capacity, refill);
    }

    private String pool(Fields agent) {
        String pool = agent.string("pool");
        if (pool != null && !poolIds.contains(pool)) {
            agent.problem("pool", poolIds.ids().isEmpty()
                    ? "unknown pool \"" + pool + "\": the policy declares no pools"
                    : "unknown pool \"" + pool + "\" (pools are " + String.join(", ", poolIds.ids()) + ")");
        }
        return pool;
    }
}
