package io.agentmediator.policy;

import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.ApproverPolicy;
import io.agentmediator.schema.ExecutorPolicy;
import io.agentmediator.schema.OperatorPolicy;
import io.agentmediator.schema.BudgetLimit;
import io.agentmediator.schema.BudgetPool;
import io.agentmediator.schema.Capabilities;
import io.agentmediator.schema.PolicyDefaults;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.RateLimit;
import io.agentmediator.schema.ResourcePolicy;
import io.agentmediator.schema.RulePolicy;
import io.agentmediator.schema.SignaturePolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Lays a {@link PolicyDocument} out as the tree its YAML would have, keys and nesting included
 * ({@code authority.maxCommitmentMicros}), so that the one {@link PolicyBinder} validates records too.
 * Nulls, which a record built in code may hold even where the schema forbids them, become absent
 * keys and are reported as such.
 */
final class PolicyDocumentTree {

    private PolicyDocumentTree() {
    }

    static PolicyNode of(PolicyDocument document) {
        Map<String, Object> tree = fields(
                "version", document.getVersion(),
                "defaults", defaults(document.getDefaults()),
                "tiers", document.getTiers(),
                "agents", each(document.getAgents(), PolicyDocumentTree::agent),
                "pools", each(document.getPools(), PolicyDocumentTree::pool),
                "resources", each(document.getResources(), PolicyDocumentTree::resource),
                "dataFlows", document.getDataFlows(),
                "approvers", each(document.getApprovers(), PolicyDocumentTree::approver),
                "executors", each(document.getExecutors(), PolicyDocumentTree::executor),
                "operators", each(document.getOperators(), PolicyDocumentTree::operator),
                "signatures", signatures(document.getSignatures()),
                "rules", each(document.getRules(), PolicyDocumentTree::rule));
        return PolicyNode.fromPlain(tree, "");
    }

    private static Map<String, Object> defaults(PolicyDefaults defaults) {
        return defaults == null ? null : fields(
                "zone", defaults.getZone(),
                "minConfidence", defaults.getMinConfidence(),
                "escalationTimeout", defaults.getEscalationTimeout(),
                "dependencyTimeout", defaults.getDependencyTimeout(),
                "crossDepartmentTier", defaults.getCrossDepartmentTier(),
                "conflictTier", defaults.getConflictTier(),
                "ruleCostLimit", defaults.getRuleCostLimit(),
                "ruleSizeLimit", defaults.getRuleSizeLimit(),
                "intentIdPrefix", defaults.getIntentIdPrefix());
    }

    private static Map<String, Object> agent(AgentPolicy agent) {
        Long maxCommitment = agent.getMaxCommitmentMicros();
        return fields(
                "id", agent.getId(),
                "owner", agent.getOwner(),
                "department", agent.getDepartment(),
                "suspended", agent.getSuspended(),
                "publicKey", agent.getPublicKey(),
                "capabilities", capabilities(agent.getCapabilities()),
                "authority", maxCommitment == null ? null : fields("maxCommitmentMicros", maxCommitment),
                "rateLimit", rateLimit(agent.getRateLimit()),
                "budgets", each(agent.getBudgets(), PolicyDocumentTree::budget),
                "pool", agent.getPool());
    }

    private static Map<String, Object> capabilities(Capabilities capabilities) {
        return capabilities == null ? null : fields(
                "actions", capabilities.getActions(),
                "targets", capabilities.getTargets(),
                "dataClasses", capabilities.getDataClasses());
    }

    private static Map<String, Object> rateLimit(RateLimit rateLimit) {
        return rateLimit == null ? null : fields(
                "capacity", rateLimit.getCapacity(),
                "refillPerSecond", rateLimit.getRefillPerSecond());
    }

    private static Map<String, Object> budget(BudgetLimit budget) {
        return fields(
                "window", budget.getWindow(),
                "limitMicros", budget.getLimitMicros(),
                "warnAt", budget.getWarnAt());
    }

    private static Map<String, Object> pool(BudgetPool pool) {
        return fields(
                "id", pool.getId(),
                "budgets", each(pool.getBudgets(), PolicyDocumentTree::budget));
    }

    private static Map<String, Object> resource(ResourcePolicy resource) {
        return fields(
                "pattern", resource.getPattern(),
                "capacity", resource.getCapacity());
    }

    private static Map<String, Object> approver(ApproverPolicy approver) {
        return fields(
                "id", approver.getId(),
                "tier", approver.getTier(),
                "departments", approver.getDepartments(),
                "publicKey", approver.getPublicKey(),
                "workers", approver.getWorkers(),
                "answersForOwnAgents", approver.getAnswersForOwnAgents());
    }

    private static Map<String, Object> executor(ExecutorPolicy executor) {
        return fields(
                "id", executor.getId(),
                "publicKey", executor.getPublicKey(),
                "agents", executor.getAgents(),
                "actions", executor.getActions());
    }

    private static Map<String, Object> operator(OperatorPolicy operator) {
        return fields(
                "id", operator.getId(),
                "publicKey", operator.getPublicKey());
    }

    private static Map<String, Object> signatures(SignaturePolicy signatures) {
        return signatures == null ? null : fields(
                "approvals", signatures.getApprovals(),
                "outcomes", signatures.getOutcomes(),
                "controls", signatures.getControls(),
                "intentSha256", signatures.getIntentSha256());
    }

    private static Map<String, Object> rule(RulePolicy rule) {
        return fields(
                "id", rule.getId(),
                "when", rule.getWhen(),
                "effect", rule.getEffect(),
                "tier", rule.getTier(),
                "mode", rule.getMode(),
                "message", rule.getMessage());
    }

    /** Null items stay null, to be reported at their index rather than skipped. */
    private static <T> List<Object> each(List<T> items, Function<T, Object> toTree) {
        return items == null ? null : items.stream()
                .map(item -> item == null ? null : toTree.apply(item))
                .collect(Collectors.toList());
    }

    private static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            fields.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return fields;
    }
}
