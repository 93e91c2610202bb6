package io.agentmediator.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.backtest.Backtest;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.policy.BudgetWindow;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.topics.Topics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chaos suite's checks must fail for the wrong answers a fault could cause: a decision lost,
 * doubled or different, a budget off by one intent, a good record dead-lettered or a bad one not.
 * Given the oracle's own answers for a small seeded run, each check passes; given those answers
 * spoiled one way, it names the difference.
 */
class ChaosChecksTest {

    private static final int INTENTS = 300;
    /** Midday, so the run's three seconds of event time lie in one hour and one day. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS);

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("chaos-checks-test"));
    private List<ChaosEvents.Event> events;
    private List<Decision> oracle;
    private ChaosChecks checks;

    @BeforeEach
    void given() {
        events = ChaosEvents.generate(7, INTENTS, T0, topics);
        oracle = Backtest.run(PolicyParser.parse("chaos", ChaosEvents.policyYaml(INTENTS)).policy(), ChaosEvents.backtestEvents(events));
        checks = new ChaosChecks(events, oracle);
    }

    @Test
    void shouldPassTheOraclesOwnAnswers() {
        assertThat(oracle.stream().map(Decision::getOutcome).distinct()).contains(DecisionOutcome.values());
        assertThat(events).anyMatch(ChaosEvents.Event::retry).anyMatch(ChaosEvents.Event::malformed);

        assertThat(checks.decisions(oracle)).isEmpty();
        assertThat(checks.budgets(balancesOf(admitted()))).isEmpty();
        assertThat(checks.deadLetters(deadLettersOf(events.stream().filter(ChaosEvents.Event::malformed).toList()))).isEmpty();
        assertThat(checks.counts()).containsEntry("missing", 0).containsEntry("doubled", 0).containsEntry("differing", 0);
    }

    @Test
    void shouldNameADecisionMissingDoubledOrDifferent() {
        List<Decision> spoiled = new ArrayList<>(oracle);
        Decision lost = spoiled.remove(0);
        spoiled.add(spoiled.get(0));
        Decision changed = spoiled.get(5);
        spoiled.set(5, Decision.newBuilder(changed)
                .setOutcome(changed.getOutcome() == DecisionOutcome.EXECUTE ? DecisionOutcome.REJECT : DecisionOutcome.EXECUTE).build());

        List<String> failures = checks.decisions(spoiled);

        assertThat(failures).anyMatch(f -> f.startsWith(lost.getIntentId() + ": no decision"))
                .anyMatch(f -> f.startsWith(spoiled.get(0).getIntentId() + ": 2 ×"))
                .anyMatch(f -> f.startsWith(changed.getIntentId() + ": 1 ×"));
        assertThat(checks.counts()).containsEntry("missing", 1).containsEntry("doubled", 1).containsEntry("differing", 1);
    }

    @Test
    void shouldNameABudgetThatHoldsOneIntentTooMany() {
        List<AgentIntent> admitted = admitted();
        List<AgentIntent> spoiled = new ArrayList<>(admitted);
        spoiled.add(admitted.get(0));

        assertThat(checks.budgets(balancesOf(spoiled))).anyMatch(f -> f.contains(admitted.get(0).getAgentId()));
    }

    @Test
    void shouldNameAGoodRecordDeadLetteredAndABadOneNot() {
        List<ChaosEvents.Event> malformed = events.stream().filter(ChaosEvents.Event::malformed).toList();
        List<ChaosEvents.Event> spoiled = new ArrayList<>(malformed.subList(1, malformed.size()));
        ChaosEvents.Event good = events.stream().filter(e -> !e.malformed()).findFirst().orElseThrow();
        spoiled.add(good);

        assertThat(checks.deadLetters(deadLettersOf(spoiled)))
                .anyMatch(f -> f.startsWith("malformed record not dead-lettered"))
                .anyMatch(f -> f.startsWith("dead-lettered an intent the oracle decided"));
    }

    /** The intents whose first decision by the oracle kept a reservation. */
    private List<AgentIntent> admitted() {
        Map<String, AgentIntent> intents = events.stream().filter(e -> !e.malformed() && !e.retry())
                .collect(Collectors.toMap(e -> e.intent().getIntentId(), ChaosEvents.Event::intent));
        Map<String, Decision> first = oracle.stream().collect(Collectors.toMap(Decision::getIntentId, Function.identity(), (a, b) -> a));
        return first.values().stream().filter(d -> d.getOutcome() != DecisionOutcome.REJECT).map(d -> intents.get(d.getIntentId())).toList();
    }

    /** Balances in the mediator's keys holding {@code intents}' costs, in this run's hour and day. */
    private static Map<String, WindowBalance> balancesOf(List<AgentIntent> intents) {
        Map<String, WindowBalance> balances = new HashMap<>();
        Instant hour = T0.truncatedTo(ChronoUnit.HOURS);
        Instant day = T0.truncatedTo(ChronoUnit.DAYS);
        for (AgentIntent intent : intents) {
            balances.merge(StoreKeys.scoped(intent.getAgentId(), "HOUR"),
                    new WindowBalance(BudgetWindow.HOUR, hour, hour.plus(1, ChronoUnit.HOURS), 0, 0, intent.getCostMicros()), ChaosChecksTest::sum);
            balances.merge(StoreKeys.scoped(intent.getAgentId(), "DAY"),
                    new WindowBalance(BudgetWindow.DAY, day, day.plus(1, ChronoUnit.DAYS), 0, 0, intent.getCostMicros()), ChaosChecksTest::sum);
        }
        return balances;
    }

    private static WindowBalance sum(WindowBalance a, WindowBalance b) {
        return new WindowBalance(a.window(), a.start(), a.end(), 0, 0, a.reservedMicros() + b.reservedMicros());
    }

    private List<ConsumerRecord<byte[], byte[]>> deadLettersOf(List<ChaosEvents.Event> sent) {
        return sent.stream().map(e -> new ConsumerRecord<>(topics.intentsDlq().name(), 0, e.index(), e.key(), e.value())).toList();
    }
}
