package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.ledger.LedgerStores;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.partition.GateStores;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Forgetting executed cases, and the finished tasks their outcomes leave in the resource ledger, after
 * the case retention, keeps pace with what falls due, through the real topology (holds whose window ended:
 * {@code catchup.PacedHousekeepingTest}). Each check forgets a bounded pass, with follow-ups while more are due, so how
 * often passes run is how many a partition can forget an hour: were that fewer than it executes, executed-cases (and the
 * reservations, holdings and owners forgotten with them) and task-states would grow for as long as the traffic lasts.
 * (Forgetting tasks an hourly check at a time, as a version before did, fails the second test.)
 */
class RetentionKeepsPaceTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "retention-1"
            defaults: { escalationTimeout: PT4H }
            tiers: [MANAGER]
            agents:
              - id: worker
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: MONTH, limitMicros: 1000000000000 } ]
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0,
            MediatorConfig.defaults().with(ConfigKeys.CASE_RETENTION, "PT1H"));

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldForgetEveryDueExecutedCaseWithinFollowUpsOfTheFirstCheckWhenMoreFallDueThanOnePassTakes() {
        // Given more executed cases, never reported, than two passes forget, all due at once
        int executed = 2 * CaseKeeper.RETENTION_PER_PASS + CaseKeeper.RETENTION_PER_PASS / 2;
        Instant decidedAt = T0.minusSeconds(60);
        for (int i = 0; i < executed; i++) {
            mediator.send(intent("run-" + i), decidedAt);
        }
        assertThat(mediator.decisions()).hasSize(executed).extracting(Decision::getOutcome).containsOnly(DecisionOutcome.EXECUTE);

        // When the case retention has passed, counted in housekeeping intervals up to the first check after it
        advanceInHousekeepingSteps(Duration.ofMinutes(59));
        long afterFirstPass = mediator.entries(CaseStores.EXECUTED_CASES);
        mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
        mediator.advanceWallClock(PacedCheck.FOLLOW_UP);

        // Then that check forgot a pass's worth, and the follow-ups the rest, with their reservations: none waits a
        // housekeeping interval for a later check (at one pass a check, 1,000 executed intents a second would outgrow it)
        assertThat(afterFirstPass).isEqualTo(executed - CaseKeeper.RETENTION_PER_PASS);
        assertThat(mediator.entries(CaseStores.EXECUTED_CASES)).isZero();
        assertThat(mediator.entries(GateStores.BUDGETS.reservations())).isZero();
    }

    @Test
    void shouldForgetEveryDueFinishedTaskWithinAFewHousekeepingIntervalsWhenMoreFallDueThanAnHourlyCheckTook() {
        // Given a thousand and one executed intents, each reported COMPLETED: each leaves its task in the resource
        // ledger for the intents that may depend on it, for the case retention, all due at once
        int reported = 1_001;
        Instant decidedAt = T0.minusSeconds(60);
        for (int i = 0; i < reported; i++) {
            mediator.send(intent("step-" + i), decidedAt);
            mediator.report("step-" + i, OutcomeStatus.COMPLETED, null, decidedAt);
        }
        assertThat(mediator.entries(LedgerStores.TASK_STATES)).isEqualTo(reported);

        // When the case retention has passed, and then a minute more, counted in housekeeping intervals
        advanceInHousekeepingSteps(Duration.ofHours(1).plusMinutes(1));

        // Then every finished task is forgotten: none waits for a later check
        assertThat(mediator.entries(LedgerStores.TASK_STATES)).isZero();
    }

    private void advanceInHousekeepingSteps(Duration total) {
        Duration step = Duration.parse(ConfigKeys.HOUSEKEEPING_INTERVAL.defaultValue());
        for (Duration passed = Duration.ZERO; passed.compareTo(total) < 0; passed = passed.plus(step)) {
            mediator.advanceWallClock(step);
        }
    }

    private static AgentIntent intent(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("worker").setAction("batch.run").setTarget("etl")
                .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
