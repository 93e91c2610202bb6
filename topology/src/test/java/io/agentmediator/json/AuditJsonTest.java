package io.agentmediator.json;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditJsonTest {

    @BeforeAll
    static void trustContracts() {
        Contracts.trustGeneratedClasses();
    }

    @Test
    void shouldWriteACaseFileAsOneLineInSchemaOrderWithIntentAndDecisionAsTheirOwnWritersDo() {
        // Given a completed case file with one of everything
        AgentIntent intent = AgentIntent.newBuilder()
                .setIntentId("inv-42")
                .setAgentId("finance-analyst")
                .setAction("invoice.create")
                .setTarget("erp")
                .setCostMicros(1_000_000L)
                .setCommitmentMicros(6_000_000_000L)
                .setConfidence(0.92)
                .build();
        Decision decision = Decision.newBuilder()
                .setIntentId("inv-42")
                .setAgentId("finance-analyst")
                .setCorrelationId("inv-42")
                .setOutcome(DecisionOutcome.EXECUTE)
                .setReasons(List.of(new Reason(ReasonCode.APPROVED, null, "approved by maria@example.com")))
                .setPolicyVersion("v1")
                .setDecidedAt(Instant.parse("2026-11-23T10:15:00Z"))
                .setDecidedBy("maria@example.com")
                .build();
        AuditRecord caseFile = AuditRecord.newBuilder()
                .setIntentId("inv-42")
                .setAgentId("finance-analyst")
                .setCorrelationId("inv-42")
                .setStage(CaseStage.COMPLETED)
                .setIntent(intent)
                .setChecks(List.of(new CheckResult("authority", CheckStatus.ESCALATE, ReasonCode.OVER_AUTHORITY, null, "commits 6,000.00")))
                .setDecision(decision)
                .setBudgets(List.of(new BudgetState("agent:finance-analyst", "DAY", Instant.parse("2026-11-23T00:00:00Z"),
                        50_000_000L, 900_000L, 0L)))
                .setOutcome(new Outcome("inv-42", OutcomeStatus.COMPLETED, 900_000L, "erp-executor", null, null, null))
                .setPolicyVersion("v1")
                .setTimeline(List.of(new TimelineEntry(Instant.parse("2026-11-23T09:02:00Z"), "RECEIVED", "finance-analyst", null)))
                .setUpdatedAt(Instant.parse("2026-11-23T11:00:00Z"))
                .build();

        // When written
        String line = AuditJson.write(caseFile);

        // Then every field is there, in the schema's order, intent and decision exactly as IntentJson and DecisionJson write them
        assertThat(line).isEqualTo("{\"intentId\":\"inv-42\",\"agentId\":\"finance-analyst\",\"correlationId\":\"inv-42\","
                + "\"stage\":\"COMPLETED\",\"intent\":" + IntentJson.write(intent) + ","
                + "\"checks\":[{\"check\":\"authority\",\"status\":\"ESCALATE\",\"code\":\"OVER_AUTHORITY\",\"ruleId\":null,"
                + "\"detail\":\"commits 6,000.00\"}],"
                + "\"decision\":" + DecisionJson.write(decision) + ","
                + "\"budgets\":[{\"scope\":\"agent:finance-analyst\",\"window\":\"DAY\",\"windowStart\":\"2026-11-23T00:00:00Z\","
                + "\"limitMicros\":50000000,\"spentMicros\":900000,\"reservedMicros\":0}],"
                + "\"outcome\":{\"intentId\":\"inv-42\",\"status\":\"COMPLETED\",\"actualCostMicros\":900000,"
                + "\"reportedBy\":\"erp-executor\",\"detail\":null},"
                + "\"policyVersion\":\"v1\","
                + "\"timeline\":[{\"at\":\"2026-11-23T09:02:00Z\",\"event\":\"RECEIVED\",\"actor\":\"finance-analyst\",\"detail\":null}],"
                + "\"updatedAt\":\"2026-11-23T11:00:00Z\"}");
        assertThat(JsonText.parse(line).get("decision").get("decidedBy").asText()).isEqualTo("maria@example.com");
    }

    @Test
    void shouldWriteNullForACaseWithoutIntentDecisionOrOutcome() {
        // Given the case file of an approval that matched no case
        AuditRecord stray = AuditRecord.newBuilder()
                .setIntentId("ghost-1#approval@agent.approvals-0@3")
                .setAgentId("")
                .setCorrelationId("ghost-1")
                .setStage(CaseStage.RECEIVED)
                .setPolicyVersion("v1")
                .setUpdatedAt(Instant.EPOCH)
                .build();

        // When written
        String line = AuditJson.write(stray);

        // Then the absent parts are null and the lists empty
        assertThat(line).isEqualTo("{\"intentId\":\"ghost-1#approval@agent.approvals-0@3\",\"agentId\":\"\","
                + "\"correlationId\":\"ghost-1\",\"stage\":\"RECEIVED\",\"intent\":null,\"checks\":[],\"decision\":null,"
                + "\"budgets\":[],\"outcome\":null,\"policyVersion\":\"v1\",\"timeline\":[],\"updatedAt\":\"1970-01-01T00:00:00Z\"}");
    }
}
