package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.testing.PipelineDriver;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * History replayed with its own record times (topics in CreateTime, as a backfill runs) is decided as it was, however
 * far behind the wall clock it is: the budget windows it spends in are not forgotten by a housekeeping check meanwhile.
 */
class BudgetReplayTest {

    /** The wall clock: five weeks after the day replayed. */
    private static final Instant NOW = Instant.parse("2026-12-10T12:00:00Z");
    private static final Instant REPLAYED_DAY = Instant.parse("2026-11-03T09:00:00Z");
    private static final String POLICY = """
            version: "replay-1"
            agents:
              - id: analyst
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 8000000 } ]
            executors:
              - { id: executor-1, agents: ["*"] }
            signatures: { outcomes: OPTIONAL }
            """;

    @Test
    void shouldKeepAReplayedDaysSpendingThroughHousekeepingChecks() {
        try (PipelineDriver mediator = new PipelineDriver(POLICY, NOW)) {
            // Given a replayed day's first spend, completed: 6.00 of its 8.00 spent
            mediator.send(spend("r-1"), REPLAYED_DAY);
            mediator.report("r-1", OutcomeStatus.COMPLETED, null, REPLAYED_DAY.plusSeconds(60));

            // When housekeeping checks run on the wall clock, five weeks later
            mediator.advanceWallClock(Duration.ofSeconds(30));

            // Then the day's next spend of 6.00 is still over its budget, as it was when the day was lived
            mediator.send(spend("r-2"), REPLAYED_DAY.plusSeconds(3_600));
            Decision decision = mediator.decision("r-2");
            assertThat(decision.getReasons()).extracting(reason -> reason.getCode().name()).containsExactly("BUDGET_EXCEEDED");
        }
    }

    private static AgentIntent spend(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("analyst").setAction("report.generate").setTarget("erp")
                .setCostMicros(6_000_000).setCommitmentMicros(0).setConfidence(0.9).build();
    }
}
