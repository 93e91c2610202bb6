package io.agentmediator.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.testing.PipelineDriver;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaseFileTextTest {

    @Test
    void shouldShowAnAgentsTextEscapedSoItCannotForgeALineOrMoveTheCursor() {
        // Given an escalation whose reasoning and attributes carry a line of their own and terminal escapes
        String policy = """
                version: "text-1"
                tiers: [MANAGER]
                agents:
                  - { id: buyer, capabilities: { actions: ["*"], targets: ["*"] }, authority: { maxCommitmentMicros: 1000 } }
                approvers:
                  - { id: boss, tier: MANAGER }
                """;
        Instant at = Instant.parse("2026-11-23T09:00:00Z");
        AuditRecord escalated;
        try (PipelineDriver mediator = new PipelineDriver(policy, at)) {
            mediator.send(AgentIntent.newBuilder().setIntentId("po-1").setAgentId("buyer").setAction("purchase.order").setTarget("erp")
                    .setCostMicros(0).setCommitmentMicros(900_000_000_000L).setConfidence(0.95)
                    .setReasoning("routine\n  commitment    60.00\u001b[2K\u001b[1A")
                    .setAttributes(java.util.Map.of("po", "PO-7\r\n  stage         COMPLETED")).build(), at);
            escalated = mediator.caseFiles().get("po-1");
        }

        // When an approver reads it
        String text = CaseFileText.render(escalated, List.of());

        // Then the mediator's lines are the only ones, and the agent's text shows its control characters as escapes
        assertThat(text.lines().filter(line -> line.startsWith("  commitment"))).containsExactly("  commitment    900,000.00");
        assertThat(text.lines().filter(line -> line.startsWith("  stage"))).containsExactly("  stage         ESCALATE");
        assertThat(text).doesNotContain("\u001b", "\r")
                .contains("  reasoning     routine\\u000a  commitment    60.00\\u001b[2K\\u001b[1A");
    }

    @Test
    void shouldShowTheWholeStoryOfACaseInMoneyAndWords() {
        // Given a case escalated, answered by the wrong manager, approved by the right one and completed
        AuditRecord caseFile = SampleCases.approvedAndCompleted();

        // When it is rendered for a person
        String text = CaseFileText.render(caseFile, List.of());

        // Then the intent, checks, decision, budgets, outcome and timeline read as sentences and money
        assertThat(text.lines()).contains(
                "Case file of intent inv-42",
                "  stage         COMPLETED",
                "  agent         finance-analyst",
                "  correlation   close-nov",
                "  action        invoice.create on erp",
                "  cost          1.00",
                "  commitment    6,000.00",
                "  confidence    0.92",
                "  reasoning     supplier delivered the November batch",
                "  alternatives  wait for December; split the invoice",
                "  claims        budget-line:cap-2026 x10 [2026-11-23T00:00:00Z, 2026-12-01T00:00:00Z)",
                "  attributes    po=PO-7, supplier=acme",
                "  PASS      well-formed                 every field is valid",
                "  AUDIT     rule:large-purchase-orders  RULE: audit only: purchase orders above 1,000.00 may soon need a manager",
                "  ESCALATE  authority                   OVER_AUTHORITY: commits 6,000.00, authority is 5,000.00",
                "  outcome       EXECUTE",
                "  reasons       APPROVED: approved by maria@example.com: matches PO-7",
                "  decided by    maria@example.com at 2026-11-23T10:15:00Z",
                "  policy        example-2026-11-21.1",
                "  agent:finance-analyst  DAY   from 2026-11-23T00:00:00Z  spent 0.90 + reserved 0.00 of 50.00",
                "  status        COMPLETED",
                "  actual cost   0.90",
                "  reported by   erp-executor",
                "  detail        posted as INV-2026-118",
                "  2026-11-23T09:40:00Z  APPROVAL  li.wei@example.com  approver li.wei@example.com answers for [procurement],"
                        + " not for finance; the escalation stays open",
                "  2026-11-23T10:15:00Z  DECIDED   maria@example.com   EXECUTE");
        assertThat(text).doesNotContain("Related records");
    }

    @Test
    void shouldPutTheSectionsInTheOrderOfTheStory() {
        // Given a complete case
        AuditRecord caseFile = SampleCases.approvedAndCompleted();

        // When it is rendered
        List<String> lines = CaseFileText.render(caseFile, List.of()).lines().toList();

        // Then the sections follow one another as the case happened
        assertThat(lines).containsSubsequence("Intent", "Checks", "Decision", "Budgets after", "Outcome", "Timeline");
    }

    @Test
    void shouldListApprovalsThatMatchedNoOpenCaseAfterTheCaseFile() {
        // Given a case and an approval about it that arrived when nothing was open
        AuditRecord caseFile = SampleCases.approvedAndCompleted();
        AuditRecord late = SampleCases.unmatchedApproval("inv-42", "agent.approvals-1@9", Instant.parse("2026-11-23T12:00:00Z"));

        // When both are rendered
        String text = CaseFileText.render(caseFile, List.of(late));

        // Then the stray approval is listed with who sent it and why it changed nothing
        assertThat(text.lines()).containsSubsequence(
                "Timeline",
                "Related records (approvals and outcomes that matched no open case)",
                "  inv-42#approval@agent.approvals-1@9",
                "    2026-11-23T12:00:00Z  APPROVAL  board@example.com  intent inv-42 was never decided here;"
                        + " this approval changes nothing");
    }

    @Test
    void shouldSayWhatIsMissingInsteadOfLeavingSectionsBlank() {
        // Given the case file of an approval that matched no case: no intent, no decision, no budgets
        AuditRecord stray = SampleCases.unmatchedApproval("ghost-1", "agent.approvals-0@3", Instant.parse("2026-11-23T12:00:00Z"));

        // When it is rendered
        String text = CaseFileText.render(stray, List.of());

        // Then each empty section says so
        assertThat(text.lines()).containsSubsequence(
                "Intent", "  (none recorded: the intent could not be read, or this case is not about one)",
                "Decision", "  (none yet)",
                "Budgets after", "  (none charged)");
        assertThat(text).doesNotContain("Outcome");
    }
}
