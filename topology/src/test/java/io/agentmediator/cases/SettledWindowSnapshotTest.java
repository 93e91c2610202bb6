package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.testing.PipelineDriver;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The budget snapshot of a case file written when its reservation is settled or released shows the windows that changed:
 * an outcome or a denial arriving after the window the intent was charged to ended changes that window, not the current
 * one, and the audit trail's last word on the window (docs/AUDIT-SQL.md, budget-windows) must be what the ledger holds.
 */
class SettledWindowSnapshotTest {

    private static final Instant LATE = Instant.parse("2026-11-23T23:00:00Z");
    private static final Instant DAY_23 = Instant.parse("2026-11-23T00:00:00Z");
    private static final Instant DAY_24 = Instant.parse("2026-11-24T00:00:00Z");
    private static final String POLICY = """
            version: "settled-windows-1"
            defaults: { minConfidence: 0.6 }
            tiers: [MANAGER]
            agents:
              - id: analyst
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 10000000 } ]
            approvers:
              - { id: manager, tier: MANAGER }
            executors:
              - { id: executor-1, agents: ["*"] }
            signatures: { outcomes: OPTIONAL, approvals: OPTIONAL }
            """;

    private final PipelineDriver mediator = new PipelineDriver(POLICY, LATE);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void anOutcomeReportedTheNextDayShowsTheDayItSettled() {
        // Given 4.00 spent on the 23rd, and 4.00 more reserved a second before midnight
        mediator.send(spend("a-1", 0.9), LATE);
        mediator.report("a-1", OutcomeStatus.COMPLETED, 4_000_000L, LATE.plusSeconds(60));
        mediator.send(spend("b-1", 0.9), Instant.parse("2026-11-23T23:59:59Z"));

        // When b-1's executor reports 1.00 actually spent, two seconds later, on the 24th
        mediator.report("b-1", OutcomeStatus.COMPLETED, 1_000_000L, Instant.parse("2026-11-24T00:00:01Z"));

        // Then its case file shows the 23rd as the ledger holds it, 5.00 spent and nothing reserved, beside the 24th
        List<BudgetState> budgets = mediator.caseFiles().get("b-1").getBudgets();
        assertThat(window(budgets, DAY_23)).isEqualTo("5000000 spent, 0 reserved");
        assertThat(window(budgets, DAY_24)).isEqualTo("0 spent, 0 reserved");
    }

    @Test
    void aDenialTheNextDayShowsTheDayItReleased() {
        // Given an escalation reserving 4.00 on the 23rd
        mediator.send(spend("e-1", 0.1), LATE);
        assertThat(window(mediator.caseFiles().get("e-1").getBudgets(), DAY_23)).isEqualTo("0 spent, 4000000 reserved");

        // When it is denied on the 24th
        mediator.approve("e-1", "manager", ApprovalDecision.DENY, DAY_24.plusSeconds(3_600));

        // Then its case file shows the 23rd released
        assertThat(window(mediator.caseFiles().get("e-1").getBudgets(), DAY_23)).isEqualTo("0 spent, 0 reserved");
    }

    @Test
    void aCompensationAfterTheChargedDayWasForgottenLeavesThatDayOut() {
        // Given 7.00 spent on the 23rd, the day over and forgotten by housekeeping three days later
        mediator.send(spend("a-1", 0.9), LATE);
        mediator.report("a-1", OutcomeStatus.COMPLETED, 7_000_000L, LATE.plusSeconds(60));
        Instant later = LATE.plus(java.time.Duration.ofDays(3));
        mediator.send(spend("c-1", 0.9), later);
        mediator.advanceWallClock(java.time.Duration.ofDays(3));

        // When a-1 is reported COMPENSATED, which changes no budget (what was spent stays spent)
        mediator.report("a-1", OutcomeStatus.COMPENSATED, null, later.plusSeconds(300));

        // Then its case file does not say the 23rd was empty
        assertThat(window(mediator.caseFiles().get("a-1").getBudgets(), DAY_23)).startsWith("no snapshot");
    }

    private static String window(List<BudgetState> budgets, Instant start) {
        return budgets.stream().filter(state -> state.getWindow().equals("DAY") && state.getWindowStart().equals(start))
                .map(state -> state.getSpentMicros() + " spent, " + state.getReservedMicros() + " reserved").findFirst()
                .orElse("no snapshot of the window starting " + start);
    }

    private static AgentIntent spend(String intentId, double confidence) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("analyst").setAction("report.generate").setTarget("erp")
                .setCostMicros(4_000_000).setCommitmentMicros(0).setConfidence(confidence).build();
    }
}
