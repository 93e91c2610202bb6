package io.agentmediator.policy;

import io.agentmediator.rules.Rule;
import io.agentmediator.rules.CompiledRules;
import io.agentmediator.rules.RuleCompiler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy in force, validated and immutable: what every decision is made against. Built by
 * {@link PolicyParser} from YAML or by {@link PolicyCodec} from the {@code agent.policies} topic.
 *
 * @param version       stamped on every decision, so a decision can be traced to the policy that made it
 * @param tiers         approver tiers, lowest first
 * @param agents        by agent id, in the order the policy lists them
 * @param pools         shared budget pools by id
 * @param resources     capacities of contended resources; the first matching pattern wins
 * @param dataFlows     data class to the only targets data of that class may go to
 * @param approvers     who may answer escalations
 * @param executors     who may report outcomes, for which agents and actions
 * @param operators     who may sign controls (the kill switch)
 * @param signatures    whether approvals, outcomes and controls must be signed by the key registered for the id they name
 * @param rules         the rules as written, in policy order
 * @param compiledRules the same rules compiled once, so deciding an intent never recompiles them; equal
 *                      when compiled from equal rules, so two policies compare by what they say
 */
public record Policy(String version, PolicyDefaults defaults, List<String> tiers, Map<String, AgentProfile> agents,
                     Map<String, BudgetPool> pools, List<ResourceCapacity> resources,
                     Map<String, List<String>> dataFlows, List<Approver> approvers, List<Executor> executors,
                     List<Operator> operators, SignatureRules signatures, List<Rule> rules, CompiledRules compiledRules) {

    /** What an unlisted resource holds: one at a time, i.e. exclusive. */
    public static final long DEFAULT_CAPACITY = 1;

    public Policy {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(defaults, "defaults");
        tiers = Immutables.list(tiers);
        agents = Immutables.orderedMap(agents);
        pools = Immutables.orderedMap(pools);
        resources = Immutables.list(resources);
        dataFlows = copyFlows(dataFlows);
        approvers = Immutables.list(approvers);
        executors = Immutables.list(executors);
        operators = Immutables.list(operators);
        Objects.requireNonNull(signatures, "signatures");
        rules = Immutables.list(rules);
        Objects.requireNonNull(compiledRules, "compiledRules");
        if (!compiledRules.rules().equals(rules)) {
            throw new IllegalArgumentException("compiledRules were compiled from other rules than " + rules);
        }
        if (!compiledRules.limits().equals(defaults.ruleLimits())) {
            throw new IllegalArgumentException("compiledRules were compiled under other limits than " + defaults.ruleLimits());
        }
    }

    /**
     * A policy whose rules are compiled here; throws {@link IllegalArgumentException} naming every rule
     * that does not compile.
     */
    public Policy(String version, PolicyDefaults defaults, List<String> tiers, Map<String, AgentProfile> agents,
                  Map<String, BudgetPool> pools, List<ResourceCapacity> resources,
                  Map<String, List<String>> dataFlows, List<Approver> approvers, List<Executor> executors,
                  List<Operator> operators, SignatureRules signatures, List<Rule> rules) {
        this(version, defaults, tiers, agents, pools, resources, dataFlows, approvers, executors, operators, signatures, rules,
                RuleCompiler.compile(Immutables.list(rules), defaults.ruleLimits()).compiledRules());
    }

    /** A policy without executors or operators that requires signed approvals and outcomes, its rules compiled here. */
    public Policy(String version, PolicyDefaults defaults, List<String> tiers, Map<String, AgentProfile> agents,
                  Map<String, BudgetPool> pools, List<ResourceCapacity> resources,
                  Map<String, List<String>> dataFlows, List<Approver> approvers, List<Rule> rules) {
        this(version, defaults, tiers, agents, pools, resources, dataFlows, approvers, List.of(), List.of(),
                SignatureRules.defaults(false), rules);
    }

    private static Map<String, List<String>> copyFlows(Map<String, List<String>> dataFlows) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (dataFlows != null) {
            dataFlows.forEach((dataClass, targets) -> copy.put(dataClass, Immutables.list(targets)));
        }
        return Immutables.orderedMap(copy);
    }

    public Optional<AgentProfile> agent(String id) {
        return Optional.ofNullable(agents.get(id));
    }

    public Optional<Approver> approver(String id) {
        return approvers.stream().filter(approver -> approver.id().equals(id)).findFirst();
    }

    public Optional<Executor> executor(String id) {
        return executors.stream().filter(executor -> executor.id().equals(id)).findFirst();
    }

    public Optional<Operator> operator(String id) {
        return operators.stream().filter(operator -> operator.id().equals(id)).findFirst();
    }

    /** The tier's position, lowest first; -1 for a tier the policy does not have. */
    public int tierRank(String tier) {
        return tiers.indexOf(tier);
    }

    /** The first tier, or null when the policy has no tiers. */
    public String lowestTier() {
        return tiers.isEmpty() ? null : tiers.get(0);
    }

    /** The last tier, or null when the policy has no tiers. */
    public String highestTier() {
        return tiers.isEmpty() ? null : tiers.get(tiers.size() - 1);
    }

    /** The capacity of the first resource pattern matching {@code resourceId}; unlisted resources are exclusive. */
    public long capacityOf(String resourceId) {
        return resources.stream()
                .filter(resource -> resource.matches(resourceId))
                .findFirst()
                .map(ResourceCapacity::capacity)
                .orElse(DEFAULT_CAPACITY);
    }
}
