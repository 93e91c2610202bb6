package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
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
    /** Intents at producers' times, as a backfill sets it. */
    private static final MediatorConfig REPLAY = MediatorConfig.defaults().with(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE, "CreateTime");
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

    @Test
    void shouldSettleAReplayedCaseByItsReplayedOutcomeNotAtItsEstimateWhenTheWallClockIsPastItsRetention() {
        try (PipelineDriver mediator = new PipelineDriver(POLICY, NOW, REPLAY)) {
            // Given a replayed day's first spend of 6.00 executed, and housekeeping running meanwhile, five weeks later
            mediator.send(spend("r-1"), REPLAYED_DAY);
            mediator.advanceWallClock(Duration.ofSeconds(30));

            // When its outcome is replayed, 1.00 actually spent, then the day's next spend of 6.00
            mediator.report("r-1", OutcomeStatus.COMPLETED, 1_000_000L, REPLAYED_DAY.plusSeconds(60));
            mediator.send(spend("r-2"), REPLAYED_DAY.plusSeconds(3_600));

            // Then it fits, 7.00 of 8.00, as when the day was lived: r-1 was not settled at its estimate before its outcome
            assertThat(mediator.decision("r-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        }
    }

    @Test
    void shouldKeepAReplayedPoolDaysSpendingThroughHousekeepingChecks() {
        String pooled = """
                version: "replay-pool-1"
                agents:
                  - id: analyst
                    pool: team
                    capabilities: { actions: ["*"], targets: ["*"] }
                pools:
                  - id: team
                    budgets: [ { window: DAY, limitMicros: 8000000 } ]
                executors:
                  - { id: executor-1, agents: ["*"] }
                signatures: { outcomes: OPTIONAL }
                """;
        try (PipelineDriver mediator = new PipelineDriver(pooled, NOW, REPLAY)) {
            // Given a replayed day's first spend of 6.00 from the pool, and housekeeping passes meanwhile
            mediator.send(spend("r-1"), REPLAYED_DAY);
            mediator.advanceWallClock(Duration.ofSeconds(30));
            mediator.advanceWallClock(Duration.ofSeconds(30));

            // When the day's next spend of 6.00 is replayed
            mediator.send(spend("r-2"), REPLAYED_DAY.plusSeconds(3_600));

            // Then the pool's day still holds the first: over its 8.00, as when the day was lived
            assertThat(mediator.decision("r-2").getReasons()).extracting(reason -> reason.getCode().name())
                    .containsExactly("POOL_BUDGET_EXCEEDED");
        }
    }

    private static AgentIntent spend(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("analyst").setAction("report.generate").setTarget("erp")
                .setCostMicros(6_000_000).setCommitmentMicros(0).setConfidence(0.9).build();
    }
}
