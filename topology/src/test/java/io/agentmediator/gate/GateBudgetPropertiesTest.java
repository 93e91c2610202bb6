package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.budget.WindowCalendar;
import io.agentmediator.contract.Contracts;
import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.RandomCases;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * No sequence of intents, however drawn, makes the gate admit more than a budget allows: for
 * every agent and every window of its budgets, the costs of the intents it admitted (executed or
 * escalated, both hold their reservation) never exceed the limit. The draws mix in what else can
 * happen to an intent on the way: retries of ids already used, rule rejections after the
 * reservation, rate limiting, capability rejections, zero and exact-fit costs, and timestamps
 * that jump across day boundaries in a zone with daylight saving. And the gate refuses an intent for its
 * budget only when what it admitted leaves no room for it, so a gate that refused everything fails.
 */
class GateBudgetPropertiesTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Instant START = Instant.parse("2026-10-24T20:00:00Z");
    private static final Policy POLICY = PolicyParser.parse("property.yaml", """
            version: "p-1"
            defaults: { zone: Europe/Berlin, minConfidence: 0.5 }
            tiers: [MANAGER, BOARD]
            agents:
              - id: a
                capabilities: { actions: ["spend.*"], targets: ["erp"] }
                authority: { maxCommitmentMicros: 1000 }
                rateLimit: { capacity: 5, refillPerSecond: 0.5 }
                budgets:
                  - { window: HOUR, limitMicros: 3000 }
                  - { window: DAY, limitMicros: 10000 }
                  - { window: WEEK, limitMicros: 25000 }
              - id: b
                capabilities: { actions: ["spend.*"], targets: ["erp"] }
                budgets: [ { window: DAY, limitMicros: 7000 } ]
            rules:
              - id: veto
                when: "'veto' in intent.attributes"
                effect: REJECT
              - id: second-look
                when: "intent.costMicros > 2500"
                effect: ESCALATE
                tier: BOARD
            """).policy();

    @Test
    void shouldNeverAdmitMoreThanAnyWindowsLimit() {
        Contracts.trustGeneratedClasses();
        RandomCases.forAll(1_000, GateBudgetPropertiesTest::stream, intents -> {
            InMemoryGateState state = new InMemoryGateState();
            GateDecider decider = new GateDecider();
            Map<String, Long> admittedPerWindow = new HashMap<>();
            for (Timed timed : intents) {
                GateResult result = decider.decide(
                        new GateInput(timed.intent().getAgentId(), timed.intent(), new byte[0], new RecordHeaders(), timed.at(), POLICY, null),
                        state);
                state.apply(timed.intent().getIntentId(), timed.intent().getAgentId(), result);
                if (result.verdict().outcome() != DecisionOutcome.REJECT) {
                    for (BudgetLimit limit : POLICY.agent(timed.intent().getAgentId()).orElseThrow().budgets()) {
                        String window = timed.intent().getAgentId() + "/" + WindowCalendar.windowAt(limit.window(), ZONE, timed.at()).key();
                        long admitted = admittedPerWindow.merge(window, timed.intent().getCostMicros(), Long::sum);
                        assertThat(admitted).as("admitted in %s after %s", window, timed.intent().getIntentId())
                                .isLessThanOrEqualTo(limit.limitMicros());
                    }
                }
            }
        });
    }

    @Test
    void shouldRefuseForBudgetOnlyWhatTheAdmittedCostsLeaveNoRoomFor() {
        // A gate that refused everything would pass the property above: this one fails it, by its first refusal.
        Contracts.trustGeneratedClasses();
        int[] admittedIntents = {0};
        RandomCases.forAll(1_000, GateBudgetPropertiesTest::stream, intents -> {
            InMemoryGateState state = new InMemoryGateState();
            GateDecider decider = new GateDecider();
            Map<String, Long> admittedPerWindow = new HashMap<>();
            for (Timed timed : intents) {
                AgentIntent intent = timed.intent();
                GateResult result = decider.decide(
                        new GateInput(intent.getAgentId(), intent, new byte[0], new RecordHeaders(), timed.at(), POLICY, null), state);
                state.apply(intent.getIntentId(), intent.getAgentId(), result);
                List<String> windows = new ArrayList<>();
                boolean roomEverywhere = true;
                for (BudgetLimit limit : POLICY.agent(intent.getAgentId()).orElseThrow().budgets()) {
                    String window = intent.getAgentId() + "/" + WindowCalendar.windowAt(limit.window(), ZONE, timed.at()).key();
                    windows.add(window);
                    roomEverywhere &= admittedPerWindow.getOrDefault(window, 0L) + intent.getCostMicros() <= limit.limitMicros();
                }
                boolean refusedForBudget = result.verdict().reasons().stream().anyMatch(reason -> reason.getCode() == ReasonCode.BUDGET_EXCEEDED);
                if (refusedForBudget) {
                    assertThat(roomEverywhere).as("%s refused for its budget, with room in every window %s", intent.getIntentId(), windows)
                            .isFalse();
                }
                if (result.verdict().outcome() != DecisionOutcome.REJECT) {
                    admittedIntents[0]++;
                    windows.forEach(window -> admittedPerWindow.merge(window, intent.getCostMicros(), Long::sum));
                }
            }
        });
        assertThat(admittedIntents[0]).as("intents admitted in all the sequences").isGreaterThan(10_000);
    }

    private record Timed(AgentIntent intent, Instant at) {}

    private static List<Timed> stream(RandomCases.Draw draw) {
        List<Timed> intents = new ArrayList<>();
        Instant at = START;
        int count = draw.intBetween(1, 80);
        for (int i = 0; i < count; i++) {
            at = at.plus(Duration.ofSeconds(draw.frequencyOf(
                    RandomCases.weighted(6, () -> (long) draw.intBetween(0, 10)),
                    RandomCases.weighted(3, () -> (long) draw.intBetween(60, 3_600)),
                    RandomCases.weighted(1, () -> (long) draw.intBetween(20_000, 200_000)))));
            String id = i > 0 && draw.intBetween(0, 9) == 0 ? "i-" + draw.intBetween(0, i - 1) : "i-" + i;
            Map<String, String> attributes = draw.intBetween(0, 9) == 0 ? Map.of("veto", "yes") : Map.of();
            intents.add(new Timed(AgentIntent.newBuilder()
                    .setIntentId(id)
                    .setAgentId(draw.oneOf(List.of("a", "a", "b")))
                    .setAction(draw.intBetween(0, 19) == 0 ? "read.only" : "spend.money")
                    .setTarget("erp")
                    .setCostMicros(draw.frequencyOf(
                            RandomCases.weighted(1, () -> 0L),
                            RandomCases.weighted(6, () -> draw.longBetween(1, 3_000)),
                            RandomCases.weighted(1, () -> draw.oneOf(List.of(3_000L, 7_000L, 10_000L)))))
                    .setCommitmentMicros(draw.longBetween(0, 2_000))
                    .setConfidence(draw.intBetween(0, 9) == 0 ? 0.3 : 0.9)
                    .setAttributes(attributes)
                    .build(), at));
        }
        return intents;
    }
}
