package io.agentmediator.catchup;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.gate.AgentGate;
import io.agentmediator.ledger.LedgerStores;
import io.agentmediator.ledger.ResourceLedger;
import io.agentmediator.partition.GateStores;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What housekeeping forgets (resource holds whose window ended, finished tasks past the retention, budget and pool
 * windows that are over) is forgotten a bounded pass at a time, through the real topology: the holds of one booked slot
 * end together, as do the windows of every agent at the hour, and one sweep of all of them held the stream thread for
 * hundreds of milliseconds. The passes that follow come {@link PacedCheck#FOLLOW_UP} apart, so none of a burst waits a
 * whole housekeeping interval for the next.
 */
class PacedHousekeepingTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Duration HOUSEKEEPING = Duration.parse(ConfigKeys.HOUSEKEEPING_INTERVAL.defaultValue());
    private static final String POLICY = """
            version: "paced-housekeeping-1"
            agents:
              - id: worker
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: HOUR, limitMicros: 1000000000 } ]
                pool: team
            pools:
              - { id: team, budgets: [ { window: HOUR, limitMicros: 1000000000 } ] }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("executor-1"));

    @Test
    void shouldDropTheHoldsOfOneSlotEndingTogetherInBoundedPassesAFollowUpApart() {
        int holding = 2 * ResourceLedger.SWEPT_PER_PASS + ResourceLedger.SWEPT_PER_PASS / 2;
        try (PipelineDriver mediator = new PipelineDriver(POLICY, T0)) {
            // Given executed bookings, each of a seat of its own, all for the slot that ends ten minutes from now
            Instant slotEnds = T0.plus(Duration.ofMinutes(10)).plusSeconds(5);
            for (int i = 0; i < holding; i++) {
                mediator.send(AgentIntent.newBuilder(intent("seat-" + i))
                        .setClaims(List.of(new ResourceClaim("seat:" + i, 1L, T0.minusSeconds(60), slotEnds))).build(), T0.minusSeconds(60));
            }
            assertThat(mediator.entries(LedgerStores.RESOURCE_HOLDS)).isEqualTo(holding);

            // Then the first sweep after the slot ends drops one pass's worth, and the follow-ups the rest
            assertDrainedInPasses(mediator, LedgerStores.RESOURCE_HOLDS, holding, ResourceLedger.SWEPT_PER_PASS);
        }
    }

    @Test
    void shouldForgetFinishedTasksDueTogetherInBoundedPassesAFollowUpApart() {
        int reported = 2 * ResourceLedger.SWEPT_PER_PASS + ResourceLedger.SWEPT_PER_PASS / 2;
        MediatorConfig tenMinutes = MediatorConfig.defaults().with(ConfigKeys.CASE_RETENTION, "PT10M");
        try (PipelineDriver mediator = new PipelineDriver(POLICY, T0, tenMinutes)) {
            // Given executed intents, each reported at the same moment: each leaves its task for the case retention
            for (int i = 0; i < reported; i++) {
                mediator.send(intent("step-" + i), T0.minusSeconds(60));
                mediator.report("step-" + i, OutcomeStatus.COMPLETED, null, T0.minusSeconds(60));
            }
            assertThat(mediator.entries(LedgerStores.TASK_STATES)).isEqualTo(reported);

            // Then the first sweep past the retention forgets one pass's worth, and the follow-ups the rest
            assertDrainedInPasses(mediator, LedgerStores.TASK_STATES, reported, ResourceLedger.SWEPT_PER_PASS);
        }
    }

    @Test
    void shouldForgetTheBudgetAndPoolWindowsOfManyHoursInBoundedPassesAFollowUpApart() {
        int hours = 2 * AgentGate.WINDOWS_PER_PASS + AgentGate.WINDOWS_PER_PASS / 2;
        Instant first = T0.minus(Duration.ofHours(hours + 3));
        // Executed cases, and with them their reservations, are kept past the test's weeks of record time
        MediatorConfig kept = MediatorConfig.defaults().with(ConfigKeys.CASE_RETENTION, "P365D");
        try (PipelineDriver mediator = new PipelineDriver(POLICY, T0, kept)) {
            // Given an intent charged in each of many hours, agent and pool alike, each reported done: nothing stays
            // reserved, and every window is over for its own length, all due together
            for (int hour = 0; hour < hours; hour++) {
                mediator.send(intent("hour-" + hour), first.plus(Duration.ofHours(hour)));
                mediator.report("hour-" + hour, OutcomeStatus.COMPLETED, null, T0);
            }
            String agentWindows = GateStores.BUDGETS.balances();
            String poolWindows = LedgerStores.POOLS.balances();
            assertThat(mediator.entries(agentWindows)).isEqualTo(hours);
            assertThat(mediator.entries(poolWindows)).isEqualTo(hours);

            // When the next housekeeping check runs
            mediator.advanceWallClock(HOUSEKEEPING);

            // Then it forgot one pass's worth of each, and the follow-ups the rest
            assertThat(mediator.entries(agentWindows)).isEqualTo(hours - AgentGate.WINDOWS_PER_PASS);
            assertThat(mediator.entries(poolWindows)).isEqualTo(hours - ResourceLedger.SWEPT_PER_PASS);
            mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
            assertThat(mediator.entries(agentWindows)).isEqualTo(hours - 2 * AgentGate.WINDOWS_PER_PASS);
            mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
            assertThat(mediator.entries(agentWindows)).isZero();
            assertThat(mediator.entries(poolWindows)).isZero();
        }
    }

    /**
     * Runs housekeeping until what is due starts to go, then checks it went a pass at a time: one pass at that check, the
     * rest in follow-ups, none left for the next check.
     */
    private static void assertDrainedInPasses(PipelineDriver mediator, String store, int due, int perPass) {
        int checks = 0;
        while (mediator.entries(store) == due) {
            assertThat(++checks).as("housekeeping checks before any went").isLessThan(1_000);
            mediator.advanceWallClock(HOUSEKEEPING);
        }
        assertThat(mediator.entries(store)).as("left after the first pass").isEqualTo(due - perPass);
        mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
        assertThat(mediator.entries(store)).as("left after the first follow-up").isEqualTo(due - 2 * perPass);
        mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
        assertThat(mediator.entries(store)).as("left after the second follow-up").isZero();
    }

    private static AgentIntent intent(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("worker").setAction("batch.run").setTarget("etl")
                .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
