package io.agentmediator.connect;

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
import io.agentmediator.schema.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Case files as the mediator writes them, for the converter's and the transforms' tests. */
final class SampleCaseFile {

    /** The character PostgreSQL cannot store. */
    static final String NUL = "\0";
    static final Instant RECEIVED = Instant.parse("2026-11-23T09:02:00Z");
    static final Instant APPROVED = Instant.parse("2026-11-23T10:15:00Z");
    static final Instant UPDATED = Instant.parse("2026-11-23T11:00:00Z");

    private SampleCaseFile() {
    }

    /** An invoice escalated over its agent's authority, approved by a manager, then completed. */
    static AuditRecord approvedAndCompleted() {
        Contracts.trustGeneratedClasses();
        AgentIntent intent = AgentIntent.newBuilder().setIntentId("inv-42").setAgentId("finance-analyst").setCorrelationId("close-nov")
                .setAction("invoice.create").setTarget("erp").setCostMicros(1_000_000L).setCommitmentMicros(6_000_000_000L)
                .setConfidence(0.92).setAttributes(Map.of("po", "PO-7")).build();
        return AuditRecord.newBuilder().setIntentId("inv-42").setAgentId("finance-analyst").setCorrelationId("close-nov")
                .setStage(CaseStage.COMPLETED).setIntent(intent)
                .setChecks(List.of(new CheckResult("authority", CheckStatus.ESCALATE, ReasonCode.OVER_AUTHORITY, null,
                        "commits 6,000.00, authority is 5,000.00")))
                .setDecision(approvedDecision())
                .setBudgets(List.of(new BudgetState("agent:finance-analyst", "DAY", Instant.parse("2026-11-23T00:00:00Z"),
                        50_000_000L, 900_000L, 0L)))
                .setOutcome(new Outcome("inv-42", OutcomeStatus.COMPLETED, 900_000L, "erp-executor", "posted", null, null))
                .setPolicyVersion("example-1")
                .setTimeline(List.of(new TimelineEntry(RECEIVED, "RECEIVED", "finance-analyst", null),
                        new TimelineEntry(APPROVED, "APPROVAL", "maria", "APPROVE")))
                .setUpdatedAt(UPDATED)
                .build();
    }

    /** A case file read but not decided yet: no intent could be read, no decision, no outcome. */
    static AuditRecord received() {
        Contracts.trustGeneratedClasses();
        return AuditRecord.newBuilder().setIntentId("raw-1").setAgentId("unknown").setCorrelationId("raw-1")
                .setStage(CaseStage.RECEIVED).setPolicyVersion("example-1").setUpdatedAt(RECEIVED).build();
    }

    /**
     * A case file as the mediator writes one for an intent rejected MALFORMED: the intent as received, NUL characters
     * (U+0000) in its id, action, reasoning and attributes, and an executor's detail with one too.
     */
    static AuditRecord withNulCharacters() {
        Contracts.trustGeneratedClasses();
        AgentIntent intent = AgentIntent.newBuilder().setIntentId("inv" + NUL + "42").setAgentId("finance-analyst")
                .setAction("invoice" + NUL + ".create").setTarget("erp").setCostMicros(1_000_000L).setConfidence(0.5)
                .setReasoning("because" + NUL).setAttributes(Map.of("po" + NUL, "PO-" + NUL + "7")).build();
        return AuditRecord.newBuilder(approvedAndCompleted()).setIntentId("untrusted:agent.intents-0@7:inv" + NUL + "42")
                .setIntent(intent).setOutcome(new Outcome("inv" + NUL + "42", OutcomeStatus.COMPLETED, 900_000L, "erp-executor",
                        "posted" + NUL, null, null))
                .build();
    }

    /** A decision on that intent: its id, action and target as received. */
    static Decision decisionWithNulCharacters() {
        return Decision.newBuilder(approvedDecision()).setIntentId("inv" + NUL + "42").setAction("invoice" + NUL + ".create")
                .setTarget("erp" + NUL).build();
    }

    static Decision approvedDecision() {
        return Decision.newBuilder().setIntentId("inv-42").setAgentId("finance-analyst").setCorrelationId("close-nov")
                .setOutcome(DecisionOutcome.EXECUTE)
                .setReasons(List.of(new Reason(ReasonCode.APPROVED, null, "approved by maria"),
                        new Reason(ReasonCode.OVER_AUTHORITY, null, "commits 6,000.00")))
                .setPolicyVersion("example-1").setDecidedAt(APPROVED).setDecidedBy("maria").build();
    }
}
