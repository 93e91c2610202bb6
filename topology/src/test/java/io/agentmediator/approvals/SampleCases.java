package io.agentmediator.approvals;

import io.agentmediator.contract.Contracts;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Case files as the mediator writes them, for the approver tools' fast tests. */
final class SampleCases {

    static final Instant RECEIVED = Instant.parse("2026-11-23T09:02:00Z");

    private SampleCases() {}

    /** A finance invoice escalated over authority, approved by its manager, then completed. */
    static AuditRecord approvedAndCompleted() {
        Contracts.trustGeneratedClasses();
        AgentIntent intent = AgentIntent.newBuilder()
                .setIntentId("inv-42")
                .setAgentId("finance-analyst")
                .setCorrelationId("close-nov")
                .setAction("invoice.create")
                .setTarget("erp")
                .setCostMicros(1_000_000L)
                .setCommitmentMicros(6_000_000_000L)
                .setConfidence(0.92)
                .setReasoning("supplier delivered the November batch")
                .setAlternatives(List.of("wait for December", "split the invoice"))
                .setDepartments(List.of("finance"))
                .setClaims(List.of(new ResourceClaim("budget-line:cap-2026", 10L,
                        Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"))))
                .setAttributes(Map.of("supplier", "acme", "po", "PO-7"))
                .build();
        Decision approved = Decision.newBuilder()
                .setIntentId("inv-42")
                .setAgentId("finance-analyst")
                .setCorrelationId("close-nov")
                .setOutcome(DecisionOutcome.EXECUTE)
                .setReasons(List.of(new Reason(ReasonCode.APPROVED, null, "approved by maria@example.com: matches PO-7")))
                .setPolicyVersion("example-2026-11-21.1")
                .setDecidedAt(Instant.parse("2026-11-23T10:15:00Z"))
                .setDecidedBy("maria@example.com")
                .build();
        return AuditRecord.newBuilder()
                .setIntentId("inv-42")
                .setAgentId("finance-analyst")
                .setCorrelationId("close-nov")
                .setStage(CaseStage.COMPLETED)
                .setIntent(intent)
                .setChecks(List.of(
                        new CheckResult("well-formed", CheckStatus.PASS, null, null, "every field is valid"),
                        new CheckResult("budget", CheckStatus.PASS, null, null, "1.00 reserved"),
                        new CheckResult("rule:large-purchase-orders", CheckStatus.AUDIT, ReasonCode.RULE, "large-purchase-orders",
                                "audit only: purchase orders above 1,000.00 may soon need a manager"),
                        new CheckResult("authority", CheckStatus.ESCALATE, ReasonCode.OVER_AUTHORITY, null,
                                "commits 6,000.00, authority is 5,000.00")))
                .setDecision(approved)
                .setBudgets(List.of(new BudgetState("agent:finance-analyst", "DAY", Instant.parse("2026-11-23T00:00:00Z"),
                        50_000_000L, 900_000L, 0L)))
                .setOutcome(new Outcome("inv-42", OutcomeStatus.COMPLETED, 900_000L, "erp-executor", "posted as INV-2026-118", null, null))
                .setPolicyVersion("example-2026-11-21.1")
                .setTimeline(List.of(
                        new TimelineEntry(RECEIVED, "RECEIVED", "finance-analyst", "intent invoice.create on erp"),
                        new TimelineEntry(RECEIVED, "DECIDED", "mediator", "ESCALATE to MANAGER; OVER_AUTHORITY: commits 6,000.00"),
                        new TimelineEntry(Instant.parse("2026-11-23T09:40:00Z"), "APPROVAL", "li.wei@example.com",
                                "approver li.wei@example.com answers for [procurement], not for finance; the escalation stays open"),
                        new TimelineEntry(Instant.parse("2026-11-23T10:15:00Z"), "APPROVAL", "maria@example.com", "APPROVE: matches PO-7"),
                        new TimelineEntry(Instant.parse("2026-11-23T10:15:00Z"), "DECIDED", "maria@example.com", "EXECUTE"),
                        new TimelineEntry(Instant.parse("2026-11-23T11:00:00Z"), "OUTCOME", "erp-executor", "COMPLETED")))
                .setUpdatedAt(Instant.parse("2026-11-23T11:00:00Z"))
                .build();
    }

    /** The case file the mediator keeps for an approval that matched no case. */
    static AuditRecord unmatchedApproval(String intentId, String where, Instant at) {
        Contracts.trustGeneratedClasses();
        String caseId = intentId + "#approval@" + where;
        return AuditRecord.newBuilder()
                .setIntentId(caseId)
                .setAgentId("")
                .setCorrelationId(intentId)
                .setStage(CaseStage.RECEIVED)
                .setChecks(List.of(new CheckResult("case-open", CheckStatus.FAIL, null, null, "never decided here")))
                .setPolicyVersion("example-2026-11-21.1")
                .setTimeline(List.of(new TimelineEntry(at, "APPROVAL", "board@example.com",
                        "intent " + intentId + " was never decided here; this approval changes nothing")))
                .setUpdatedAt(at)
                .build();
    }

    /** An open escalation, as the gate writes it. */
    static AuditRecord escalated(String intentId, String agentId, String tier, Instant at, Instant deadline, Reason... reasons) {
        Contracts.trustGeneratedClasses();
        Decision escalation = Decision.newBuilder()
                .setIntentId(intentId)
                .setAgentId(agentId)
                .setCorrelationId(intentId)
                .setOutcome(DecisionOutcome.ESCALATE)
                .setTier(tier)
                .setReasons(List.of(reasons))
                .setPolicyVersion("v1")
                .setDecidedAt(at)
                .setDecidedBy("mediator")
                .setDeadline(deadline)
                .build();
        return AuditRecord.newBuilder()
                .setIntentId(intentId)
                .setAgentId(agentId)
                .setCorrelationId(intentId)
                .setStage(CaseStage.ESCALATE)
                .setDecision(escalation)
                .setPolicyVersion("v1")
                .setTimeline(List.of(new TimelineEntry(at, "DECIDED", "mediator", "ESCALATE to " + tier)))
                .setUpdatedAt(at)
                .build();
    }

    /** The same case, answered: no longer pending. */
    static AuditRecord answered(AuditRecord escalated, CaseStage stage) {
        return AuditRecord.newBuilder(escalated).setStage(stage).build();
    }
}
