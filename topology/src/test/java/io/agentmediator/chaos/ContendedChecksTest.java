package io.agentmediator.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.backtest.Backtest;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.policy.BudgetWindow;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.Hold;
import io.agentmediator.schema.internal.ResourceHolds;
import io.agentmediator.topics.Topics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contended agents' checks must accept what the mediator's own topology decides (the backtest of
 * the run, nothing answered) and fail for the wrong answers: a gate that refuses everything for its
 * budget, a ledger that finds a conflict in every claim, a decision lost or doubled, a follow-up
 * missing, a decision against its grounds, a window over its limit, a resource over its capacity, a
 * hold or a balance that no decision keeps.
 */
class ContendedChecksTest {

    private static final int INTENTS = 1_500;
    /** Midday, so the run's 15 seconds of event time lie in one hour and one day. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS);

    private static List<ChaosEvents.Event> events;
    private static Map<String, AgentIntent> intents;
    private static List<Decision> decided;
    private static List<Decision> grounds;

    /** The backtests take seconds; what they decide is only read. */
    @BeforeAll
    static void given() {
        Topics topics = new Topics("agent.", new InMemorySchemaRegistry("contended-checks-test"));
        events = ChaosEvents.generate(11, INTENTS, T0, topics);
        intents = events.stream().filter(e -> !e.malformed() && !e.retry())
                .collect(Collectors.toMap(e -> e.intent().getIntentId(), ChaosEvents.Event::intent));
        decided = Backtest.run(PolicyParser.parse("chaos", ChaosEvents.policyYaml(INTENTS)).policy(), ChaosEvents.backtestEvents(events)).stream()
                .filter(d -> ChaosEvents.contended(d.getAgentId())).toList();
        grounds = Backtest.run(PolicyParser.parse("grounds", ChaosEvents.groundsPolicyYaml(INTENTS)).policy(), ChaosEvents.groundsEvents(events));
    }

    @Test
    void shouldAcceptWhatTheTopologyDecides() {
        ContendedChecks checks = checks(Map.of(), Map.of());
        assertThat(initials(decided)).extracting(d -> d.getReasons().isEmpty() ? null : d.getReasons().get(0).getCode())
                .contains(ReasonCode.RESOURCE_CONFLICT, ReasonCode.BUDGET_EXCEEDED, ReasonCode.RATE_LIMITED, ReasonCode.ACTION_NOT_ALLOWED);

        assertThat(checks.decisions(decided)).isEmpty();
        assertThat(checks.refusalsPossible(holdsOf(decided))).isEmpty();
        assertThat(checks.holds(holdsOf(decided))).isEmpty();
        assertThat(checks.limits("agent window", List.of(new ContendedChecks.Change<>("a", balance(10, 10))))).isEmpty();
        assertThat(checks.balances(agentBalancesOf(decided), poolBalancesOf(decided))).isEmpty();
        assertThat(checks.counts()).containsEntry("contended missing", 0).containsEntry("contended against their grounds", 0);
    }

    @Test
    void shouldFindAGateThatRefusesEverythingForItsBudget() {
        List<Decision> refusing = decided.stream().map(d -> ContendedChecks.has(d, ReasonCode.DUPLICATE) ? d
                : Decision.newBuilder(d).setOutcome(DecisionOutcome.REJECT).setTier(null)
                        .setReasons(List.of(new Reason(ReasonCode.BUDGET_EXCEEDED, null, "over"))).build()).toList();
        ContendedChecks checks = checks(Map.of(), Map.of());

        assertThat(checks.decisions(refusing)).anyMatch(f -> f.contains("its grounds reject it before anything is spent"));
        assertThat(checks.refusalsPossible(List.of())).anyMatch(f -> f.contains("BUDGET_EXCEEDED, but all that ever held a reservation"));
    }

    @Test
    void shouldFindALedgerThatFindsAConflictInEveryClaim() {
        List<Decision> conflicting = decided.stream().map(d -> !intents.get(d.getIntentId()).getClaims().isEmpty()
                && d.getOutcome() == DecisionOutcome.EXECUTE && d.getReasons().isEmpty()
                ? Decision.newBuilder(d).setOutcome(DecisionOutcome.ESCALATE)
                        .setReasons(List.of(new Reason(ReasonCode.RESOURCE_CONFLICT, null, "held"))).build()
                : d).toList();
        ContendedChecks checks = checks(Map.of(), Map.of());

        assertThat(checks.decisions(conflicting)).isEmpty();
        assertThat(checks.refusalsPossible(holdsOf(conflicting))).anyMatch(f -> f.contains("RESOURCE_CONFLICT, but nothing ever held"));
    }

    @Test
    void shouldNameADecisionLostDoubledOrAgainstItsGroundsAndAMissingFollowUp() {
        List<Decision> initials = initials(decided);
        Decision lost = initials.stream().filter(d -> d.getOutcome() == DecisionOutcome.EXECUTE).findFirst().orElseThrow();
        Decision doubled = initials.stream().filter(d -> ContendedChecks.has(d, ReasonCode.BUDGET_EXCEEDED)).findFirst().orElseThrow();
        Decision notAllowed = initials.stream().filter(d -> ContendedChecks.has(d, ReasonCode.ACTION_NOT_ALLOWED)).findFirst().orElseThrow();
        Decision escalated = initials.stream().filter(d -> d.getOutcome() == DecisionOutcome.ESCALATE).findFirst().orElseThrow();
        List<Decision> spoiled = new ArrayList<>(decided);
        spoiled.remove(lost);
        spoiled.add(doubled);
        spoiled.set(spoiled.indexOf(notAllowed), Decision.newBuilder(notAllowed).setOutcome(DecisionOutcome.EXECUTE).setReasons(List.of()).build());

        List<String> failures = checks(Map.of(escalated.getIntentId(), ApprovalDecision.APPROVE), Map.of()).decisions(spoiled);

        assertThat(failures).anyMatch(f -> f.startsWith(lost.getIntentId() + ": no initial decision"))
                .anyMatch(f -> f.startsWith(doubled.getIntentId() + ": 2 initial decisions"))
                .anyMatch(f -> f.startsWith(notAllowed.getIntentId() + ": 1 × [EXECUTE []]"))
                .anyMatch(f -> f.startsWith(escalated.getIntentId() + ": follow-ups 0 × []"));
    }

    @Test
    void shouldNameAWindowOverItsLimit() {
        List<String> failures = checks(Map.of(), Map.of()).limits("pool window",
                List.of(new ContendedChecks.Change<>("p1", balance(100, 60)), new ContendedChecks.Change<>("p1", balance(100, 101))));

        assertThat(failures).containsExactly("pool window p1: 101 used of a limit of 100");
    }

    @Test
    void shouldNameAResourceOverItsCapacityAndAHoldNoDecisionKeeps() {
        List<ContendedChecks.Change<ResourceHolds>> holds = new ArrayList<>(holdsOf(decided));
        ContendedChecks.Change<ResourceHolds> room = holds.stream().filter(c -> roomOf(c).startsWith("room:")).findFirst().orElseThrow();
        Hold held = room.value().getHolds().get(0);
        Hold intruder = Hold.newBuilder(held).setIntentId("intruder").build();
        holds.add(new ContendedChecks.Change<>(StoreKeys.scoped(roomOf(room), StoreKeys.scoped(intruder.getAgentId(), "intruder")),
                new ResourceHolds(List.of(intruder))));
        ContendedChecks checks = checks(Map.of(), Map.of());
        checks.decisions(decided);

        assertThat(checks.holds(holds)).anyMatch(f -> f.startsWith(roomOf(room) + ": 2 held at once, capacity 1"))
                .anyMatch(f -> f.equals("held at the end, kept by no decision: " + roomOf(room) + " intruder"));
    }

    @Test
    void shouldNameABalanceThatKeepsWhatAnOutcomeReleased() {
        Decision executed = initials(decided).stream().filter(d -> d.getOutcome() == DecisionOutcome.EXECUTE).findFirst().orElseThrow();
        ContendedChecks checks = checks(Map.of(), Map.of(executed.getIntentId(),
                Outcome.newBuilder().setIntentId(executed.getIntentId()).setStatus(OutcomeStatus.FAILED).build()));
        checks.decisions(decided);

        assertThat(checks.balances(agentBalancesOf(decided), poolBalancesOf(decided)))
                .anyMatch(f -> f.startsWith("agent " + executed.getAgentId() + " DAY") && f.endsWith("the decisions and answers keep "
                        + (agentBalancesOf(decided).get(StoreKeys.scoped(executed.getAgentId(), "DAY")).usedMicros()
                                - intents.get(executed.getIntentId()).getCostMicros())));
    }

    private ContendedChecks checks(Map<String, ApprovalDecision> approvals, Map<String, Outcome> outcomes) {
        return new ContendedChecks(events, INTENTS, grounds, approvals, outcomes);
    }

    private static String roomOf(ContendedChecks.Change<ResourceHolds> change) {
        return StoreKeys.scopeOf(change.key());
    }

    private static List<Decision> initials(List<Decision> decisions) {
        Map<String, Decision> first = decisions.stream().filter(d -> !ContendedChecks.has(d, ReasonCode.DUPLICATE))
                .collect(Collectors.toMap(Decision::getIntentId, Function.identity(), (a, b) -> a));
        return List.copyOf(first.values());
    }

    /** The holds the decisions take, in their order: the claims of every intent admitted without a conflict. */
    private static List<ContendedChecks.Change<ResourceHolds>> holdsOf(List<Decision> decisions) {
        List<ContendedChecks.Change<ResourceHolds>> holds = new ArrayList<>();
        for (Decision decision : decisions) {
            boolean granted = !ContendedChecks.has(decision, ReasonCode.DUPLICATE) && (decision.getOutcome() == DecisionOutcome.EXECUTE
                    || decision.getOutcome() == DecisionOutcome.ESCALATE && !ContendedChecks.has(decision, ReasonCode.RESOURCE_CONFLICT));
            if (granted) {
                intents.get(decision.getIntentId()).getClaims().forEach(claim -> holds.add(new ContendedChecks.Change<>(
                        StoreKeys.scoped(claim.getResourceId(), StoreKeys.scoped(decision.getAgentId(), decision.getIntentId())),
                        new ResourceHolds(List.of(new Hold(decision.getIntentId(),
                                decision.getAgentId(), claim.getQuantity(), claim.getFrom(), claim.getUntil(), null, false, decision.getDecidedAt()))))));
            }
        }
        return holds;
    }

    /** The agents' hour and day balances holding the estimates of the intents admitted, keyed as the mediator keys them. */
    private static Map<String, WindowBalance> agentBalancesOf(List<Decision> decisions) {
        Map<String, WindowBalance> balances = new HashMap<>();
        for (Decision decision : initials(decisions)) {
            long cost = decision.getOutcome() == DecisionOutcome.REJECT ? 0 : intents.get(decision.getIntentId()).getCostMicros();
            balances.merge(StoreKeys.scoped(decision.getAgentId(), "HOUR"), window(BudgetWindow.HOUR, cost), ContendedChecksTest::sum);
            balances.merge(StoreKeys.scoped(decision.getAgentId(), "DAY"), window(BudgetWindow.DAY, cost), ContendedChecksTest::sum);
        }
        return balances;
    }

    private static Map<String, WindowBalance> poolBalancesOf(List<Decision> decisions) {
        Map<String, WindowBalance> balances = new HashMap<>();
        for (Decision decision : initials(decisions)) {
            long cost = decision.getOutcome() == DecisionOutcome.REJECT ? 0 : intents.get(decision.getIntentId()).getCostMicros();
            balances.merge(StoreKeys.scoped(ChaosEvents.pool(decision.getAgentId()), "DAY"), window(BudgetWindow.DAY, cost), ContendedChecksTest::sum);
        }
        return balances;
    }

    private static WindowBalance window(BudgetWindow kind, long reserved) {
        Instant start = T0.truncatedTo(kind == BudgetWindow.HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS);
        return new WindowBalance(kind, start, start.plus(1, kind == BudgetWindow.HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS), 0, 0, reserved);
    }

    private static WindowBalance balance(long limit, long reserved) {
        return new WindowBalance(BudgetWindow.DAY, T0, T0.plus(1, ChronoUnit.DAYS), limit, 0, reserved);
    }

    private static WindowBalance sum(WindowBalance a, WindowBalance b) {
        return new WindowBalance(a.window(), a.start(), a.end(), 0, 0, a.reservedMicros() + b.reservedMicros());
    }
}
