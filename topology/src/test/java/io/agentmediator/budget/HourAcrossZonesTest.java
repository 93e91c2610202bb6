package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.BudgetWindow;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * An HOUR budget counts one hour once, whatever zone the policy names: a policy moved from UTC to Berlin (whose hours start
 * at the same instants) once opened a second balance for the hour in progress, and the agent could spend its limit twice.
 * And a balance an earlier version filed under the hour's local key goes on being charged for the rest of its hour.
 */
class HourAcrossZonesTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:15:00Z");

    private static String policy(String version, String zone) {
        return """
                version: "%s"
                defaults: { zone: %s }
                agents:
                  - id: a
                    capabilities: { actions: ["*"], targets: ["*"] }
                    budgets: [ { window: HOUR, limitMicros: 100 }, { window: DAY, limitMicros: 1000 } ]
                """.formatted(version, zone);
    }

    private static AgentIntent intent(String id, long cost) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("a").setAction("buy").setTarget("erp")
                .setCostMicros(cost).setCommitmentMicros(0).setConfidence(0.9).build();
    }

    @Test
    void shouldCountTheHourInProgressOnceWhenThePolicyMovesToAZoneWhoseHoursStartAlike() {
        try (PipelineDriver mediator = new PipelineDriver(policy("v1", "UTC"), T0)) {
            mediator.send(intent("i-1", 100), T0);

            publish(mediator, policy("v2", "Europe/Berlin"), T0.plusSeconds(60));
            mediator.send(intent("i-2", 100), T0.plusSeconds(120));
            mediator.send(intent("i-3", 100), Instant.parse("2026-11-23T11:00:00Z"));

            assertThat(mediator.decision("i-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            Decision second = mediator.decision("i-2");
            assertThat(second.getOutcome()).as("%s", hourBalances(mediator)).isEqualTo(DecisionOutcome.REJECT);
            assertThat(second.getReasons().get(0).getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED);
            assertThat(mediator.decision("i-3").getOutcome()).as("the next hour has room").isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(hourBalances(mediator)).containsOnlyKeys("1:a|HOUR:2026-11-23T10:00+00:00", "1:a|HOUR:2026-11-23T11:00+00:00");
        }
    }

    @Test
    void shouldGoOnChargingTheHourInProgressUnderTheKeyAnEarlierVersionFiledItUnder() {
        try (PipelineDriver mediator = new PipelineDriver(policy("v1", "Europe/Berlin"), T0)) {
            KeyValueStore<String, WindowBalance> balances = mediator.store(GateStores.BUDGETS.balances());
            String former = "1:a|HOUR:2026-11-23T11:00+01:00";
            balances.put(former, new WindowBalance(BudgetWindow.HOUR, Instant.parse("2026-11-23T10:00:00Z"),
                    Instant.parse("2026-11-23T11:00:00Z"), 100, 0, 60));

            mediator.send(intent("i-1", 30), T0);
            mediator.send(intent("i-2", 30), T0.plusSeconds(60));
            mediator.send(intent("i-3", 30), Instant.parse("2026-11-23T11:05:00Z"));

            assertThat(mediator.decision("i-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(mediator.decision("i-2").getReasons().get(0).getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED);
            assertThat(mediator.decision("i-3").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(hourBalances(mediator)).containsOnlyKeys(former, "1:a|HOUR:2026-11-23T11:00+00:00");
            assertThat(balances.get(former).reservedMicros()).isEqualTo(90);
            assertThat(mediator.agentBudgets("a", T0.plusSeconds(90))).filteredOn(usage -> usage.window().window() == BudgetWindow.HOUR)
                    .singleElement().satisfies(usage -> assertThat(usage.reservedMicros()).isEqualTo(90));
        }
    }

    private static void publish(PipelineDriver mediator, String yaml, Instant at) {
        var document = PolicyCodec.toAvro(PolicyParser.parse("policy.yaml", yaml).policy());
        mediator.publish(document, at);
    }

    private static Map<String, WindowBalance> hourBalances(PipelineDriver mediator) {
        Map<String, WindowBalance> hours = new TreeMap<>();
        KeyValueStore<String, WindowBalance> store = mediator.store(GateStores.BUDGETS.balances());
        try (KeyValueIterator<String, WindowBalance> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.window() == BudgetWindow.HOUR) {
                    hours.put(entry.key, entry.value);
                }
            });
        }
        return hours;
    }
}
