package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.signing.IntentDigest;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #14's forged approvals and outcomes, replayed through the real topology: each is refused,
 * written into the case file with why, and changes nothing; the genuine, signed answer still works.
 */
class SignedApprovalsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "signed-1"
            defaults: { escalationTimeout: PT4H, crossDepartmentTier: BOARD }
            tiers: [MANAGER, BOARD]
            agents:
              - id: buyer
                owner: olga@example.com
                department: procurement
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 5000000000 }
              - id: treasurer
                department: finance
                publicKey: "%s"
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000000000 }
              - id: supervisor
                department: procurement
                publicKey: "%s"
                capabilities: { actions: ["review.*"], targets: ["*"] }
              - id: research-assistant
                publicKey: "%s"
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 2000000 } ]
            approvers:
              - { id: board@example.com, tier: BOARD, publicKey: "%s" }
              - { id: olga@example.com, tier: BOARD, publicKey: "%s" }
              - { id: treasurer, tier: BOARD }
              - { id: supervisor, tier: MANAGER, workers: [buyer] }
            executors:
              - { id: erp-executor, publicKey: "%s", actions: ["invoice.*", "purchase.*", "wire.*"] }
              - { id: research-executor, publicKey: "%s", agents: [research-assistant] }
            """.formatted(TestKeys.publicKey("treasurer"), TestKeys.publicKey("supervisor"), TestKeys.publicKey("research-assistant"),
            TestKeys.publicKey("board@example.com"), TestKeys.publicKey("olga@example.com"), TestKeys.publicKey("erp-executor"),
            TestKeys.publicKey("research-executor"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldRefuseAnUnsignedBoardApprovalOfACrossDepartmentInvoiceAndKeepItOpen() {
        // Given a BOARD-tier escalation: procurement's invoice touches finance
        mediator.sendSigned(invoice("inv-1", "buyer", 100_000_000L, List.of("finance")), T0);
        assertThat(mediator.decision("inv-1").getTier()).isEqualTo("BOARD");

        // When an approval names board@example.com without a signature
        mediator.approve(new Approval("inv-1", "board@example.com", ApprovalDecision.APPROVE, "ok", null, null), null, T0.plusSeconds(60));

        // Then nothing is decided, and the case file says why
        assertOpenWith("inv-1", "refused UNSIGNED: approval by board@example.com is not signed");

        // When board@example.com really answers
        mediator.approve("inv-1", "board@example.com", ApprovalDecision.APPROVE, T0.plusSeconds(120));

        // Then it executes
        assertThat(mediator.decision("inv-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseAnApprovalOfAPurchaseOrderSignedWithAnotherKey() {
        // Given a 9,000.00 purchase order above the buyer's authority of 5,000.00
        mediator.sendSigned(AgentIntent.newBuilder(invoice("po-1", "buyer", 9_000_000_000L, List.of())).setAction("purchase.order").build(), T0);
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When an outsider signs an approval naming board@example.com with its own key
        mediator.approve(new Approval("po-1", "board@example.com", ApprovalDecision.APPROVE, null, null, null), TestKeys.privateKey("mallory"),
                T0.plusSeconds(60));

        // Then
        assertOpenWith("po-1", "refused SIGNATURE_INVALID: approval by board@example.com: signature does not verify");
    }

    @Test
    void shouldNeverLetAnAgentListedAsABoardApproverApproveItsOwnWire() {
        // Given the treasurer agent, also listed as a BOARD approver, escalates a 900,000.00 wire
        mediator.sendSigned(AgentIntent.newBuilder(invoice("wire-1", "treasurer", 900_000_000_000L, List.of())).setAction("wire.transfer").build(), T0);
        assertThat(mediator.decision("wire-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When it approves it, correctly signed with its own agent key
        mediator.approve("wire-1", "treasurer", ApprovalDecision.APPROVE, T0.plusSeconds(60));

        // Then
        assertOpenWith("wire-1", "refused OWN_INTENT: treasurer cannot answer the escalation of its own intent");
    }

    @Test
    void shouldNotLetAnOwnerAnswerForItsOwnAgent() {
        // Given
        mediator.sendSigned(invoice("inv-2", "buyer", 9_000_000_000L, List.of()), T0);

        // When the buyer's owner, a BOARD approver with a valid key, approves
        mediator.approve("inv-2", "olga@example.com", ApprovalDecision.APPROVE, T0.plusSeconds(60));

        // Then
        assertOpenWith("inv-2", "refused OWN_AGENT: olga@example.com owns agent buyer");
    }

    @Test
    void shouldLetASupervisorAgentAnswerItsWorkersWithinItsTierAndSaySo() {
        // Given a MANAGER-tier escalation of the supervisor's worker, and a BOARD-tier one of another agent
        mediator.sendSigned(invoice("inv-3", "buyer", 9_000_000_000L, List.of()), T0);
        mediator.sendSigned(invoice("wire-2", "treasurer", 2_000_000_000L, List.of()), T0);

        // When the supervisor agent approves both, signed with its agent key
        mediator.approve("inv-3", "supervisor", ApprovalDecision.APPROVE, T0.plusSeconds(60));
        mediator.approve("wire-2", "supervisor", ApprovalDecision.APPROVE, T0.plusSeconds(60));

        // Then its worker's executes, said to be approved by an agent; the other stays open
        Decision approved = mediator.decision("inv-3");
        assertThat(approved.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(approved.getReasons().get(0).getMessage()).isEqualTo("approved by supervisor agent supervisor");
        assertOpenWith("wire-2", "refused NOT_A_WORKER: supervisor agent supervisor answers for its workers [buyer], and treasurer is not one");
    }

    @Test
    void shouldRefuseOutcomesFromTheAgentItselfOrFromNobodyAndKeepTheBudgetSpent() {
        // Given research-assistant at its daily limit
        mediator.sendSigned(research("r-1", 1_000_000L), T0);
        mediator.sendSigned(research("r-2", 1_000_000L), T0.plusSeconds(1));
        mediator.sendSigned(research("r-3", 1_000_000L), T0.plusSeconds(2));
        assertThat(mediator.decision("r-3").getReasons().get(0).getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED);

        // When the agent reports its own intent FAILED, signed with its own key, and nobody reports the other COMPLETED for 0
        mediator.report(new Outcome("r-1", OutcomeStatus.FAILED, null, "research-assistant", null, null, null),
                TestKeys.privateKey("research-assistant"), T0.plusSeconds(10));
        mediator.report(new Outcome("r-2", OutcomeStatus.COMPLETED, 0L, null, null, null, null), null, T0.plusSeconds(11));
        // and an executor reports on an agent it does not execute for
        mediator.report(new Outcome("r-2", OutcomeStatus.FAILED, null, "erp-executor", null, null, null),
                TestKeys.privateKey("erp-executor"), T0.plusSeconds(12));
        mediator.sendSigned(research("r-4", 1_000_000L), T0.plusSeconds(20));
        mediator.sendSigned(research("r-5", 1_000_000L), T0.plusSeconds(21));

        // Then nothing was released: two more intents are refused, and the cases say why
        assertThat(mediator.decision("r-4").getReasons().get(0).getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED);
        assertThat(mediator.decision("r-5").getReasons().get(0).getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED);
        assertThat(lastEntry("r-1").getDetail()).startsWith("refused NOT_AN_EXECUTOR: research-assistant is not an executor in policy signed-1");
        assertThat(mediator.caseFiles().get("r-1").getStage()).isEqualTo(CaseStage.EXECUTE);
        List<String> r2 = mediator.caseFiles().get("r-2").getTimeline().stream().map(TimelineEntry::getDetail).toList();
        assertThat(r2).anyMatch(detail -> detail.startsWith("refused NOT_AN_EXECUTOR: the outcome names no reporter"))
                .anyMatch(detail -> detail.startsWith("refused EXECUTOR_OUT_OF_SCOPE: executor erp-executor executes invoice.*, purchase.*,"
                        + " wire.* for any, not llm.call for research-assistant"));

        // When its executor really reports r-1 FAILED
        mediator.report(new Outcome("r-1", OutcomeStatus.FAILED, null, "research-executor", null, null, null),
                TestKeys.privateKey("research-executor"), T0.plusSeconds(30));
        mediator.sendSigned(research("r-6", 1_000_000L), T0.plusSeconds(31));

        // Then its reservation is released and the next intent executes
        assertThat(mediator.caseFiles().get("r-1").getStage()).isEqualTo(CaseStage.FAILED);
        assertThat(mediator.decision("r-6").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldBindEveryDecisionToTheIntentItDecides() {
        // Given
        AgentIntent intent = invoice("inv-4", "buyer", 9_000_000_000L, List.of());
        byte[] value = mediator.topics().intentSerde().serializer().serialize(mediator.topics().intents().name(), intent);

        // When it escalates and is approved
        mediator.sendSigned(intent, T0);
        Decision escalated = mediator.decision("inv-4");
        mediator.approve("inv-4", "board@example.com", ApprovalDecision.APPROVE, T0.plusSeconds(60));
        Decision approved = mediator.decision("inv-4");

        // Then both name the intent's digest, action, target, cost and commitment
        for (Decision decision : List.of(escalated, approved)) {
            assertThat(decision.getIntentSha256()).isEqualTo(IntentDigest.of(value));
            assertThat(decision.getAction()).isEqualTo("invoice.create");
            assertThat(decision.getTarget()).isEqualTo("erp");
            assertThat(decision.getCostMicros()).isEqualTo(100_000L);
            assertThat(decision.getCommitmentMicros()).isEqualTo(9_000_000_000L);
        }
        assertThat(approved.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private void assertOpenWith(String intentId, String refusal) {
        assertThat(mediator.decision(intentId).getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        AuditRecord caseFile = mediator.caseFiles().get(intentId);
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.ESCALATE);
        assertThat(lastEntry(intentId).getEvent()).isEqualTo("APPROVAL");
        assertThat(lastEntry(intentId).getDetail()).startsWith(refusal);
    }

    private TimelineEntry lastEntry(String intentId) {
        List<TimelineEntry> timeline = mediator.caseFiles().get(intentId).getTimeline();
        return timeline.get(timeline.size() - 1);
    }

    private static AgentIntent invoice(String intentId, String agentId, long commitmentMicros, List<String> departments) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("invoice.create").setTarget("erp")
                .setCostMicros(100_000).setCommitmentMicros(commitmentMicros).setConfidence(0.95).setDepartments(departments).build();
    }

    private static AgentIntent research(String intentId, long costMicros) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("research-assistant").setAction("llm.call")
                .setTarget("llm:large").setCostMicros(costMicros).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
