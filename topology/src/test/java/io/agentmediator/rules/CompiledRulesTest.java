package io.agentmediator.rules;

import static io.agentmediator.rules.RuleFixtures.AGENT;
import static io.agentmediator.rules.RuleFixtures.NOW;
import static io.agentmediator.rules.RuleFixtures.compile;
import static io.agentmediator.rules.RuleFixtures.evaluate;
import static io.agentmediator.rules.RuleFixtures.input;
import static io.agentmediator.rules.RuleFixtures.intent;
import static io.agentmediator.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Capabilities;
import io.agentmediator.rules.RuleOutcome.Status;
import io.agentmediator.schema.ResourceClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What rules see of an intent, its agent, its budget and the clock, and what becomes of each evaluation. */
class CompiledRulesTest {

    private static final String SCHEDULE_VARIANCE =
            "'timeVariancePct' in intent.attributes && double(intent.attributes['timeVariancePct']) > 15.0";

    @ParameterizedTest(name = "{0}% -> {1}")
    @CsvSource({"15.1, FIRED", "15.0, NOT_FIRED", "15, NOT_FIRED", "-40, NOT_FIRED", "1e3, FIRED"})
    void shouldEscalateScheduleVarianceAboveFifteenPercent(String variance, Status expected) {
        // Given
        RuleInput input = input(intent().setAttributes(Map.of("timeVariancePct", variance)));

        // When
        RuleOutcome outcome = evaluate(SCHEDULE_VARIANCE, input);

        // Then
        assertThat(outcome.status()).isEqualTo(expected);
        assertThat(outcome.detail()).isNull();
    }

    @Test
    void shouldNotFireScheduleVarianceWithoutTheAttribute() {
        // Given
        RuleInput input = input(intent().setAttributes(Map.of("otherPct", "99")));

        // When
        RuleOutcome outcome = evaluate(SCHEDULE_VARIANCE, input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.NOT_FIRED);
    }

    @Test
    void shouldReportAnAttributeThatIsNoNumberAsAnError() {
        // Given
        RuleInput input = input(intent().setAttributes(Map.of("timeVariancePct", "abc")));

        // When
        RuleOutcome outcome = compile(rule("schedule-variance", SCHEDULE_VARIANCE)).evaluate(input).get(0);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.ERROR);
        assertThat(outcome.detail()).contains("schedule-variance", "For input string: \"abc\"");
    }

    @Test
    void shouldReportAMissingMapKeyAsAnError() {
        // Given
        RuleInput input = input(intent());

        // When
        RuleOutcome outcome = evaluate("intent.attributes['environment'] == 'production'", input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.ERROR);
        assertThat(outcome.detail()).contains("environment");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "size(intent.attributes) == 2 && intent.attributes.size() == 2",
        "intent.attributes.exists(k, k == 'vendor' && intent.attributes[k] == 'acme')",
        "intent.attributes.all(k, intent.attributes[k] != '') && 'region' in intent.attributes",
        "intent.attributes.map(k, k).size() == 2 && intent.attributes.filter(k, k.startsWith('v')) == ['vendor']",
        "budget.exists(w, budget[w].utilisation > 0.5) && !budget.all(w, w == 'HOUR') && size(budget) == 2",
        "has(budget.DAY) && !has(budget.WEEK) && budget['DAY'].spentMicros == 30000000",
        "intent.attributes == {'vendor': 'acme', 'region': 'eu'}"})
    void shouldReadTheMapsOfTheIntentAndTheBudgetAsMaps(String when) {
        // Given
        RuleInput input = new RuleInput(intent().setAttributes(Map.of("vendor", "acme", "region", "eu")).build(),
                AGENT.ruleAgent(), Map.of("DAY", new BudgetView(50_000_000, 30_000_000, 0),
                        "HOUR", new BudgetView(10_000_000, 0, 0)), NOW);

        // When
        RuleOutcome fired = evaluate(when, input);
        RuleOutcome negated = evaluate("!(" + when + ")", input);

        // Then
        assertThat(fired.status()).isEqualTo(Status.FIRED);
        assertThat(negated.status()).isEqualTo(Status.NOT_FIRED);
    }

    @Test
    void shouldReportAResultSmuggledPastTheCheckerAsAnError() {
        // Given
        RuleInput input = input(intent());

        // When
        RuleOutcome outcome = evaluate("dyn(intent.costMicros)", input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.ERROR);
        assertThat(outcome.detail()).isEqualTo("evaluated to 1000000 (Long), not a bool");
    }

    @ParameterizedTest(name = "spent {0} + reserved {1} of 50 -> {2}")
    @CsvSource({"30000000, 15000000, FIRED", "20000000, 5000000, NOT_FIRED"})
    void shouldSeeTheUtilisationOfABudgetWindow(long spent, long reserved, Status expected) {
        // Given
        RuleInput input = new RuleInput(intent().build(), AGENT.ruleAgent(),
                Map.of("DAY", new BudgetView(50_000_000, spent, reserved)), NOW);

        // When
        RuleOutcome outcome = evaluate("budget.DAY.utilisation > 0.8", input);

        // Then
        assertThat(outcome.status()).isEqualTo(expected);
    }

    @Test
    void shouldSeeWhatRemainsOfABudgetWindow() {
        // Given
        RuleInput input = new RuleInput(intent().setCostMicros(6_000_000).build(), AGENT.ruleAgent(),
                Map.of("HOUR", new BudgetView(10_000_000, 3_000_000, 2_000_000)), NOW);

        // When
        RuleOutcome outcome = evaluate("intent.costMicros > budget.HOUR.remainingMicros", input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.FIRED);
    }

    @Test
    void shouldFailClosedOnAWindowTheAgentDoesNotHaveUnlessTheRuleAsks() {
        // Given
        RuleInput input = new RuleInput(intent().build(), AGENT.ruleAgent(), Map.of("DAY", new BudgetView(1, 1, 0)), NOW);
        CompiledRules rules = compile(rule("unguarded", "budget.WEEK.utilisation > 0.8"),
                rule("guarded", "has(budget.WEEK) && budget.WEEK.utilisation > 0.8"));

        // When
        List<RuleOutcome> outcomes = rules.evaluate(input);

        // Then
        assertThat(outcomes).extracting(RuleOutcome::status).containsExactly(Status.ERROR, Status.NOT_FIRED);
        assertThat(outcomes.get(0).detail()).contains("WEEK");
    }

    @ParameterizedTest(name = "expires {0} -> {1}")
    @CsvSource({"2026-11-21T09:59:59Z, FIRED", "2026-11-21T10:00:01Z, NOT_FIRED"})
    void shouldCompareTheClockWithTheExpiry(Instant expiresAt, Status expected) {
        // Given
        RuleInput input = input(intent().setExpiresAt(expiresAt));

        // When
        RuleOutcome outcome = evaluate("intent.expiresAt.hasValue() && now > intent.expiresAt.value()", input);

        // Then
        assertThat(outcome.status()).isEqualTo(expected);
    }

    @Test
    void shouldSeeAnAbsentExpiryAsAnEmptyOptional() {
        // Given
        RuleInput input = input(intent().setExpiresAt(null));

        // When
        RuleOutcome outcome = evaluate("!intent.expiresAt.hasValue()", input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.FIRED);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"2026-11-21T10:00:00Z, FIRED", "2026-11-23T10:00:00Z, NOT_FIRED", "2026-11-22T23:30:00Z, FIRED"})
    void shouldTellTheWeekdayOfTheClock(Instant now, Status expected) {
        // Given Sunday is 0 and Saturday 6, in UTC
        RuleInput input = new RuleInput(intent().build(), AGENT.ruleAgent(), Map.of(), now);

        // When
        RuleOutcome outcome = evaluate("now.getDayOfWeek() in [0, 6]", input);

        // Then
        assertThat(outcome.status()).isEqualTo(expected);
    }

    @Test
    void shouldTellTheWeekdayInAGivenZone() {
        // Given Sunday 23:30 in UTC is already Monday in Berlin
        RuleInput input = new RuleInput(intent().build(), AGENT.ruleAgent(), Map.of(), Instant.parse("2026-11-22T23:30:00Z"));

        // When
        RuleOutcome outcome = evaluate("now.getDayOfWeek('Europe/Berlin') == 1", input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.FIRED);
    }

    @Test
    void shouldMeasureTimeWithDurations() {
        // Given
        RuleInput input = input(intent().setExpiresAt(NOW.plus(Duration.ofMinutes(30))));

        // When
        RuleOutcome outcome = evaluate("intent.expiresAt.value() - now < duration('1h')", input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.FIRED);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"PII, FIRED", "PUBLIC, NOT_FIRED"})
    void shouldFindADataClassInTheList(String dataClass, Status expected) {
        // Given
        RuleInput input = input(intent().setDataClasses(List.of("INTERNAL", dataClass)));

        // When
        RuleOutcome outcome = evaluate("'PII' in intent.dataClasses", input);

        // Then
        assertThat(outcome.status()).isEqualTo(expected);
    }

    @Test
    void shouldSeeTheAgentAsThePolicyDescribesIt() {
        // Given
        AgentProfile agent = new AgentProfile("buyer", "li@example.com", "procurement", false, null, null,
                new Capabilities(List.of("purchase-order.*"), List.of("erp"), List.of()), 2_000_000_000L, null,
                List.of(), "procurement-department");
        RuleInput input = new RuleInput(intent().setCommitmentMicros(1_600_000_000).build(), agent.ruleAgent(), Map.of(), NOW);

        // When
        RuleOutcome outcome = evaluate("agent.department == 'procurement' && agent.pool.startsWith('procurement')"
                + " && intent.commitmentMicros * 4 > agent.maxCommitmentMicros.orValue(0) * 3"
                + " && 'erp' in agent.capabilities.targets && !agent.suspended", input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.FIRED);
    }

    @Test
    void shouldReadAbsentTextAsEmptyAndTellItWasAbsent() {
        // Given an agent without a pool or a commitment limit, an intent without reasoning or correlation id
        RuleInput input = input(intent().setReasoning(null).setCorrelationId(null));

        // When
        RuleOutcome outcome = evaluate("intent.reasoning == '' && !has(intent.reasoning) && agent.pool == ''"
                + " && !agent.maxCommitmentMicros.hasValue() && intent.correlationId == intent.intentId", input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.FIRED);
    }

    @Test
    void shouldSeeTheClaimsOfAnIntent() {
        // Given
        ResourceClaim room = ResourceClaim.newBuilder().setResourceId("room:4.12").setQuantity(2)
                .setFrom(NOW).setUntil(NOW.plus(Duration.ofHours(3))).build();
        RuleInput input = input(intent().setClaims(List.of(room)));

        // When
        RuleOutcome outcome = evaluate("intent.claims.exists(c, c.resourceId.startsWith('room:')"
                + " && c.until.value() - c.from.value() > duration('2h'))", input);

        // Then
        assertThat(outcome.status()).isEqualTo(Status.FIRED);
    }

    @Test
    void shouldMatchAResourceIdInNfcWithTheCharacterWrittenAsACelEscape() {
        // Given a claim on room:Å, its name in NFC as claims must be
        ResourceClaim room = ResourceClaim.newBuilder().setResourceId("room:\u00C5").setQuantity(1).build();
        RuleInput input = input(intent().setClaims(List.of(room)));

        // Then a condition writing Å as CEL's escape fires, and one writing an A and a combining ring as escapes does not
        assertThat(evaluate("intent.claims.exists(c, c.resourceId == 'room:\\u00C5')", input).status()).isEqualTo(Status.FIRED);
        assertThat(evaluate("intent.claims.exists(c, c.resourceId == 'room:A\\u030A')", input).status()).isEqualTo(Status.NOT_FIRED);
    }

    @Test
    void shouldEvaluateAnAuditRuleLikeAnyOther() {
        // Given
        Rule audit = new Rule("trial", "intent.confidence < 0.95", RuleEffect.REJECT, null, RuleMode.AUDIT, null);

        // When
        List<RuleOutcome> outcomes = compile(audit).evaluate(input(intent()));

        // Then
        assertThat(outcomes).containsExactly(new RuleOutcome(audit, Status.FIRED, null));
    }

    @Test
    void shouldEvaluateEveryRuleInPolicyOrderWhateverAnotherDid() {
        // Given a hundred rules, every third fires and every seventh cannot be evaluated
        List<Rule> rules = IntStream.range(0, 100).mapToObj(i -> rule("rule-" + i,
                i % 7 == 0 ? "double(intent.attributes['x']) > 0.0" : "intent.costMicros % 3 == " + i % 3)).toList();
        RuleInput input = input(intent().setCostMicros(3_000_000));

        // When
        List<RuleOutcome> outcomes = compile(rules.toArray(Rule[]::new)).evaluate(input);

        // Then
        assertThat(outcomes).extracting(RuleOutcome::rule).containsExactlyElementsOf(rules);
        assertThat(outcomes).extracting(RuleOutcome::status).containsExactlyElementsOf(IntStream.range(0, 100)
                .mapToObj(i -> i % 7 == 0 ? Status.ERROR : i % 3 == 0 ? Status.FIRED : Status.NOT_FIRED).toList());
    }

    @Test
    void shouldGiveEveryThreadTheSameOutcomesFromOneCompiledPolicy() throws Exception {
        // Given one compiled policy and inputs that fire, do not fire, and fail
        CompiledRules rules = compile(rule("variance", SCHEDULE_VARIANCE), rule("pii", "'PII' in intent.dataClasses"));
        List<RuleInput> inputs = List.of("15.1", "15.0", "abc").stream()
                .map(variance -> input(intent().setAttributes(Map.of("timeVariancePct", variance))
                        .setDataClasses(variance.equals("15.0") ? List.of("PII") : List.of())))
                .toList();
        List<List<RuleOutcome>> expected = inputs.stream().map(rules::evaluate).toList();
        List<Callable<Boolean>> workers = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            workers.add(() -> IntStream.range(0, 3_000)
                    .allMatch(i -> rules.evaluate(inputs.get(i % 3)).equals(expected.get(i % 3))));
        }

        // When
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> results;
        try {
            results = pool.invokeAll(workers);
        } finally {
            pool.shutdown();
        }

        // Then
        for (Future<Boolean> result : results) {
            assertThat(result.get()).isTrue();
        }
        assertThat(expected).extracting(outcomes -> outcomes.get(0).status())
                .containsExactly(Status.FIRED, Status.NOT_FIRED, Status.ERROR);
    }
}
