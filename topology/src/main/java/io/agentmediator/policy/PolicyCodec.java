package io.agentmediator.policy;

import io.agentmediator.rules.Rule;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.ApproverPolicy;
import io.agentmediator.schema.ExecutorPolicy;
import io.agentmediator.schema.OperatorPolicy;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ResourcePolicy;
import io.agentmediator.schema.RulePolicy;
import io.agentmediator.schema.SignaturePolicy;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Converts a {@link Policy} to and from the {@link PolicyDocument} record of the compacted
 * {@code agent.policies} topic. A record from the topic is untrusted input like a file: it goes through
 * the same validation, reported with paths but without lines.
 */
public final class PolicyCodec {

    /** The source name in problems found in a record. */
    public static final String SOURCE = "PolicyDocument";

    private PolicyCodec() {
    }

    public static PolicyDocument toAvro(Policy policy) {
        return PolicyDocument.newBuilder()
                .setVersion(policy.version())
                .setDefaults(defaults(policy.defaults()))
                .setTiers(policy.tiers())
                .setAgents(policy.agents().values().stream().map(PolicyCodec::agent).collect(Collectors.toList()))
                .setPools(policy.pools().values().stream().map(PolicyCodec::pool).collect(Collectors.toList()))
                .setResources(policy.resources().stream().map(PolicyCodec::resource).collect(Collectors.toList()))
                .setDataFlows(policy.dataFlows())
                .setApprovers(policy.approvers().stream().map(PolicyCodec::approver).collect(Collectors.toList()))
                .setRules(policy.rules().stream().map(PolicyCodec::rule).collect(Collectors.toList()))
                .setExecutors(policy.executors().stream().map(PolicyCodec::executor).collect(Collectors.toList()))
                .setOperators(policy.operators().stream().map(PolicyCodec::operator).collect(Collectors.toList()))
                .setSignatures(signatures(policy.signatures(), !policy.operators().isEmpty()))
                .build();
    }

    /** The policy of {@code document}, or every problem with it. */
    public static PolicyParseResult fromAvro(PolicyDocument document) {
        return PolicyBinder.bind(PolicyDocumentTree.of(document), new Problems(SOURCE));
    }

    private static io.agentmediator.schema.PolicyDefaults defaults(PolicyDefaults defaults) {
        return io.agentmediator.schema.PolicyDefaults.newBuilder()
                .setZone(defaults.zone().getId())
                .setMinConfidence(defaults.minConfidence())
                .setEscalationTimeout(defaults.escalationTimeout().toString())
                .setDependencyTimeout(defaults.dependencyTimeout().toString())
                .setCrossDepartmentTier(defaults.crossDepartmentTier())
                .setConflictTier(defaults.conflictTier())
                .setRuleCostLimit(defaults.ruleLimits().costLimit())
                .setRuleSizeLimit((long) defaults.ruleLimits().sizeLimit())
                .setIntentIdPrefix(defaults.intentIdPrefix().name())
                .build();
    }

    private static AgentPolicy agent(AgentProfile agent) {
        Capabilities capabilities = agent.capabilities();
        return AgentPolicy.newBuilder()
                .setId(agent.id())
                .setOwner(agent.owner())
                .setDepartment(agent.department())
                .setSuspended(agent.suspended())
                .setPublicKey(agent.publicKeyBase64())
                .setCapabilities(io.agentmediator.schema.Capabilities.newBuilder()
                        .setActions(capabilities.actions())
                        .setTargets(capabilities.targets())
                        .setDataClasses(capabilities.dataClasses())
                        .build())
                .setMaxCommitmentMicros(agent.maxCommitmentMicros())
                .setRateLimit(agent.rateLimit() == null ? null : io.agentmediator.schema.RateLimit.newBuilder()
                        .setCapacity(agent.rateLimit().capacity())
                        .setRefillPerSecond(agent.rateLimit().refillPerSecond())
                        .build())
                .setBudgets(budgets(agent.budgets()))
                .setPool(agent.pool())
                .build();
    }

    private static io.agentmediator.schema.BudgetPool pool(BudgetPool pool) {
        return io.agentmediator.schema.BudgetPool.newBuilder()
                .setId(pool.id())
                .setBudgets(budgets(pool.budgets()))
                .build();
    }

    private static List<io.agentmediator.schema.BudgetLimit> budgets(List<BudgetLimit> budgets) {
        return budgets.stream()
                .map(budget -> io.agentmediator.schema.BudgetLimit.newBuilder()
                        .setWindow(budget.window().name())
                        .setLimitMicros(budget.limitMicros())
                        .setWarnAt(budget.warnAt())
                        .build())
                .collect(Collectors.toList());
    }

    private static ResourcePolicy resource(ResourceCapacity resource) {
        return ResourcePolicy.newBuilder()
                .setPattern(resource.pattern())
                .setCapacity(resource.capacity())
                .build();
    }

    private static ApproverPolicy approver(Approver approver) {
        return ApproverPolicy.newBuilder()
                .setId(approver.id())
                .setTier(approver.tier())
                .setDepartments(approver.departments())
                .setPublicKey(approver.publicKeyBase64())
                .setWorkers(approver.workers())
                .setAnswersForOwnAgents(approver.answersForOwnAgents())
                .build();
    }

    private static ExecutorPolicy executor(Executor executor) {
        return ExecutorPolicy.newBuilder()
                .setId(executor.id())
                .setPublicKey(executor.publicKeyBase64())
                .setAgents(executor.agents())
                .setActions(executor.actions())
                .build();
    }

    private static OperatorPolicy operator(Operator operator) {
        return OperatorPolicy.newBuilder()
                .setId(operator.id())
                .setPublicKey(operator.publicKeyBase64())
                .build();
    }

    /** Absent when they are the defaults, as a document without {@code signatures} says. */
    private static SignaturePolicy signatures(SignatureRules signatures, boolean operatorsListed) {
        return signatures.equals(SignatureRules.defaults(operatorsListed)) ? null : SignaturePolicy.newBuilder()
                .setApprovals(signatures.approvals().name())
                .setOutcomes(signatures.outcomes().name())
                .setControls(signatures.controls().name())
                .setIntentSha256(signatures.intentSha256().name())
                .build();
    }

    private static RulePolicy rule(Rule rule) {
        return RulePolicy.newBuilder()
                .setId(rule.id())
                .setWhen(rule.when())
                .setEffect(rule.effect().name())
                .setTier(rule.tier())
                .setMode(rule.mode().name())
                .setMessage(rule.message())
                .build();
    }
}
