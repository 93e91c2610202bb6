package io.agentmediator.audit;

import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.gate.Verdict;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.policyreload.PolicyCases;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.TimelineEntry;
import java.time.Instant;
import java.util.List;

/** Builds the audit record (the case file) of an intent at each step of its story. */
public final class CaseFiles {

    static final String POLICY_VALID = "policy-valid";

    private CaseFiles() {}

    /**
     * The case file of an intent decided on arrival: received, every check, decided, and the
     * agent's budget windows as the decision left them.
     */
    public static AuditRecord decided(
            String caseId, AgentIntent intent, Verdict verdict, Decision decision, List<WindowUsage> budgets, Instant at) {
        return AuditRecord.newBuilder()
                .setIntentId(caseId)
                .setAgentId(decision.getAgentId())
                .setCorrelationId(decision.getCorrelationId().isBlank() ? caseId : decision.getCorrelationId())
                .setStage(CaseStage.valueOf(decision.getOutcome().name()))
                .setIntent(intent)
                .setChecks(verdict.checks())
                .setDecision(decision)
                .setBudgets(budgets.stream().map(usage -> budgetState(decision.getAgentId(), usage)).toList())
                .setOutcome(null)
                .setPolicyVersion(decision.getPolicyVersion())
                .setTimeline(
                        List.of(
                                new TimelineEntry(at, "RECEIVED", decision.getAgentId(), "intent " + intent.getAction() + " on " + intent.getTarget()),
                                new TimelineEntry(at, "DECIDED", decision.getDecidedBy(), summary(decision))))
                .setUpdatedAt(at)
                .build();
    }

    private static BudgetState budgetState(String agentId, WindowUsage usage) {
        return new BudgetState(
                "agent:" + agentId,
                usage.window().window().name(),
                usage.window().start(),
                usage.limitMicros(),
                usage.spentMicros(),
                usage.reservedMicros());
    }

    /** The case file of a policy document that passed validation and is now in force. */
    public static AuditRecord policyAccepted(String policyId, String version, Instant at) {
        String caseId = PolicyCases.caseId(policyId, version);
        return policyCase(caseId, CaseStage.EXECUTE, version,
                List.of(new CheckResult(POLICY_VALID, CheckStatus.PASS, null, null, "policy " + policyId + " version " + version + " is valid")),
                new TimelineEntry(at, "POLICY_ACCEPTED", DecisionFactory.MEDIATOR, "version " + version + " in force"), at);
    }

    /** The case file of a policy document that was refused; {@code inForce} stays. */
    public static AuditRecord policyRefused(
            String caseId, String version, String inForce, List<String> problems, Instant at) {
        List<CheckResult> checks = problems.stream()
                .map(problem -> new CheckResult(POLICY_VALID, CheckStatus.FAIL, ReasonCode.MALFORMED, null, problem))
                .toList();
        return policyCase(caseId, CaseStage.REJECT, inForce, checks,
                new TimelineEntry(at, "POLICY_REFUSED", DecisionFactory.MEDIATOR,
                        "version " + version + " refused, " + problems.size() + " problem(s); version " + inForce + " stays in force"), at);
    }

    private static AuditRecord policyCase(
            String caseId, CaseStage stage, String policyVersion, List<CheckResult> checks, TimelineEntry entry, Instant at) {
        return AuditRecord.newBuilder()
                .setIntentId(caseId)
                .setAgentId(DecisionFactory.MEDIATOR)
                .setCorrelationId(caseId)
                .setStage(stage)
                .setIntent(null)
                .setChecks(checks)
                .setDecision(null)
                .setBudgets(List.of())
                .setOutcome(null)
                .setPolicyVersion(policyVersion)
                .setTimeline(List.of(entry))
                .setUpdatedAt(at)
                .build();
    }

    private static String summary(Decision decision) {
        StringBuilder text = new StringBuilder(decision.getOutcome().name());
        if (decision.getTier() != null) {
            text.append(" to ").append(decision.getTier());
        }
        decision.getReasons().forEach(r -> text.append("; ").append(r.getCode()).append(": ").append(r.getMessage()));
        return text.toString();
    }
}
