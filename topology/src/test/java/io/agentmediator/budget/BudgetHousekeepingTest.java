package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.BudgetWindow;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Budget housekeeping through the real topology: what must be kept never stops it forgetting what may go. */
class BudgetHousekeepingTest {

    private static final Instant FIRST_HOUR = Instant.parse("2026-09-01T00:00:00Z");
    /** More hours than five passes visit (200 each), each kept by a reservation nobody closes. */
    private static final int HELD = 1_050;
    private static final Instant FREE_HOUR = FIRST_HOUR.plus(Duration.ofHours(HELD));
    /** Every hour above over for its own length: all due. */
    private static final Instant NOW = FREE_HOUR.plus(Duration.ofHours(3));
    private static final Duration HOUSEKEEPING = Duration.ofSeconds(10);
    private static final String POLICY = """
            version: "housekeeping-1"
            agents:
              - id: caller
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: HOUR, limitMicros: 1000000 } ]
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("executor-1"));

    @Test
    void shouldForgetAFreeWindowBehindMoreThanFivePassesOfWindowsStillReservedWithinTheFollowUpsOfOneCheck() {
        // Executed cases, and with them their reservations, are kept past this test's months of record time
        MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.CASE_RETENTION, "P365D")
                .with(ConfigKeys.HOUSEKEEPING_INTERVAL, HOUSEKEEPING.toString());
        try (PipelineDriver mediator = new PipelineDriver(POLICY, NOW, config)) {
            // Given 1,050 hours each holding the reservation of an executed intent nobody reports
            for (int hour = 0; hour < HELD; hour++) {
                mediator.send(call("held-" + hour), FIRST_HOUR.plus(Duration.ofHours(hour)));
            }
            // and, behind them, an hour whose intent was reported (now, as the broker stamps it): nothing is reserved in it any more
            mediator.send(call("done"), FREE_HOUR);
            mediator.report("done", OutcomeStatus.COMPLETED, null, NOW);
            KeyValueStore<String, WindowBalance> balances = mediator.store(GateStores.BUDGETS.balances());
            assertThat(balances.get(key(FREE_HOUR))).isNotNull();

            // When housekeeping checks, and follows up five times while its passes stop at their bound
            mediator.advanceWallClock(HOUSEKEEPING);
            for (int followUp = 0; followUp < 5; followUp++) {
                mediator.advanceWallClock(PacedCheck.FOLLOW_UP);
            }

            // Then the free hour is forgotten, every held one kept
            assertThat(balances.get(key(FREE_HOUR))).isNull();
            assertThat(balances.approximateNumEntries()).isEqualTo(HELD);
            // And the held hours wait an hour before they are read again, rather than at every sweep
            Instant lastSweep = NOW.plus(HOUSEKEEPING).plus(PacedCheck.FOLLOW_UP.multipliedBy(5));
            assertThat(dueTimes(mediator)).hasSize(HELD).allSatisfy(due -> assertThat(due).isAfter(lastSweep));
        }
    }

    private static String key(Instant hour) {
        return StoreKeys.scoped("caller", WindowCalendar.windowAt(BudgetWindow.HOUR, ZoneOffset.UTC, hour).key());
    }

    /** When each window filed for housekeeping is next due: prune-index keys start with the epoch milliseconds. */
    private static List<Instant> dueTimes(PipelineDriver mediator) {
        List<Instant> due = new ArrayList<>();
        try (KeyValueIterator<String, Object> filed = mediator.<Object>store(GateStores.BUDGETS.pruneIndex()).all()) {
            filed.forEachRemaining(entry -> due.add(Instant.ofEpochMilli(Long.parseLong(entry.key.substring(0, entry.key.indexOf('|'))))));
        }
        return due;
    }

    private static AgentIntent call(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("caller").setAction("llm.call").setTarget("llm:small")
                .setCostMicros(100_000).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
