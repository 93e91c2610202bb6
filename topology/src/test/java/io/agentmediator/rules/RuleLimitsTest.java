package io.agentmediator.rules;

import static io.agentmediator.rules.RuleFixtures.input;
import static io.agentmediator.rules.RuleFixtures.intent;
import static io.agentmediator.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.rules.RuleOutcome.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Each evaluation of a rule is held to its cost and size limits, and compiling tells what it can of them. */
class RuleLimitsTest {

    private static final List<String> HUNDRED = IntStream.range(0, 100).mapToObj(i -> "alt-" + i).toList();

    private static RuleOutcome evaluate(RuleLimits limits, String when, RuleInput input) {
        return RuleCompiler.compile(List.of(rule("r", when)), limits).compiledRules().evaluate(input).get(0);
    }

    @Test
    void shouldStopNestedIterationAtTheCostLimitAndCountIt() {
        // Given
        long before = RuleLimitCount.total(RuleLimitCount.Limit.COST);

        // When
        RuleOutcome outcome = evaluate(RuleLimits.DEFAULT, "intent.alternatives.all(a, intent.alternatives.all(b,"
                + " intent.alternatives.all(c, a + b + c != '')))", input(intent().setAlternatives(HUNDRED)));

        // Then
        assertThat(outcome.status()).isEqualTo(Status.ERROR);
        assertThat(outcome.detail()).isEqualTo("over its cost limit of 100000 evaluation steps (defaults.ruleCostLimit)");
        assertThat(RuleLimitCount.total(RuleLimitCount.Limit.COST)).isGreaterThan(before);
    }

    @Test
    void shouldNotLetAnErrorAbsorbingOperatorRunOnPastTheLimit() {
        // When the expensive side is over the limit and the other side alone would make it true
        RuleOutcome outcome = evaluate(new RuleLimits(1_000, 1_000), "intent.alternatives.all(a,"
                + " intent.alternatives.all(b, a + b != '')) || intent.costMicros > 0", input(intent().setAlternatives(HUNDRED)));

        // Then
        assertThat(outcome.status()).isEqualTo(Status.ERROR);
        assertThat(outcome.detail()).contains("cost limit of 1000");
    }

    @Test
    void shouldEvaluateANestedRuleWhoseIterationsFitTheLimit() {
        // When
        RuleOutcome outcome = evaluate(RuleLimits.DEFAULT, "intent.alternatives.all(a, intent.alternatives.all(b,"
                + " a + b != ''))", input(intent().setAlternatives(HUNDRED.subList(0, 50))));

        // Then
        assertThat(outcome.status()).isEqualTo(Status.FIRED);
    }

    @Test
    void shouldHoldEachRuleToItsOwnBudgetNotToWhatTheRulesBeforeItSpent() {
        // Given three rules that each spend more than half of the cost limit, alone under it
        String nested = "intent.alternatives.all(a, intent.alternatives.all(b, a + b != ''))";
        RuleInput input = input(intent().setAlternatives(HUNDRED.subList(0, 50)));
        RuleLimits limits = new RuleLimits(costOfAlone(nested, input) * 3 / 2, RuleLimits.DEFAULT.sizeLimit());

        // When
        List<RuleOutcome> outcomes = RuleCompiler.compile(List.of(rule("a", nested), rule("b", nested),
                rule("c", nested)), limits).compiledRules().evaluate(input);

        // Then
        assertThat(outcomes).extracting(RuleOutcome::status).containsExactly(Status.FIRED, Status.FIRED, Status.FIRED);
    }

    @Test
    void shouldHoldAllOfAPolicysRulesTogetherToTenTimesTheCostLimit() {
        // Given twenty rules whose cost grows with the intent's alternatives, each spending two thirds of the cost limit here
        String nested = "intent.alternatives.all(a, intent.alternatives.all(b, a + b != ''))";
        RuleInput input = input(intent().setAlternatives(HUNDRED.subList(0, 50)));
        long alone = costOfAlone(nested, input);
        RuleLimits limits = new RuleLimits(alone * 3 / 2, RuleLimits.DEFAULT.sizeLimit());

        // When
        List<RuleOutcome> outcomes = RuleCompiler.compile(IntStream.range(0, 20).mapToObj(i -> rule("r" + i, nested)).toList(), limits)
                .compiledRules().evaluate(input);

        // Then each fires until they have spent ten cost limits together (fifteen of them, give or take one), and the rest fail
        assertThat(outcomes.subList(0, 14)).extracting(RuleOutcome::status).containsOnly(Status.FIRED);
        assertThat(outcomes.subList(16, 20)).allSatisfy(outcome -> {
            assertThat(outcome.status()).isEqualTo(Status.ERROR);
            assertThat(outcome.detail()).isEqualTo("the policy's ENFORCE rules together are over " + limits.totalCostLimit()
                    + " evaluation steps, 10 times the cost limit (defaults.ruleCostLimit)");
        });
    }

    @Test
    void shouldNeverLetWhatAuditRulesSpendMakeAnEnforcedRuleFail() {
        // Given twenty AUDIT rules, each spending two thirds of the cost limit here, then one cheap ENFORCE rule
        String nested = "intent.alternatives.all(a, intent.alternatives.all(b, a + b != ''))";
        RuleInput input = input(intent().setAlternatives(HUNDRED.subList(0, 50)));
        RuleLimits limits = new RuleLimits(costOfAlone(nested, input) * 3 / 2, RuleLimits.DEFAULT.sizeLimit());
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rules.add(new Rule("audit-" + i, nested, RuleEffect.ESCALATE, "MANAGER", RuleMode.AUDIT, null));
        }
        rules.add(new Rule("cheap", "intent.costMicros < 0", RuleEffect.REJECT, null, RuleMode.ENFORCE, null));

        // When
        List<RuleOutcome> outcomes = RuleCompiler.compile(rules, limits).compiledRules().evaluate(input);

        // Then the AUDIT rules are held to their own total, and the enforced rule is judged
        assertThat(outcomes.get(19).detail()).startsWith("the policy's AUDIT rules together are over");
        assertThat(outcomes.get(20).status()).isEqualTo(Status.NOT_FIRED);
    }

    /** The smallest cost limit under which {@code when} evaluates without an ERROR, found by bisection. */
    private static long costOfAlone(String when, RuleInput input) {
        long low = 1;
        long high = RuleLimits.DEFAULT.costLimit();
        while (low < high) {
            long middle = (low + high) / 2;
            if (evaluate(new RuleLimits(middle, RuleLimits.DEFAULT.sizeLimit()), when, input).status() == Status.ERROR) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    @Test
    void shouldRefuseAReplaceWhoseResultWouldBeOverTheSizeLimitBeforeBuildingIt() {
        // Given
        long before = RuleLimitCount.total(RuleLimitCount.Limit.SIZE);

        // When 50,000 characters replaced between each of their own: 2.5 billion characters
        RuleOutcome outcome = evaluate(RuleLimits.DEFAULT, "intent.reasoning.replace('', intent.reasoning) != ''",
                input(intent().setReasoning("x".repeat(50_000))));

        // Then
        assertThat(outcome.status()).isEqualTo(Status.ERROR);
        assertThat(outcome.detail()).isEqualTo("would build a value of 2500100000 characters or entries, over its"
                + " size limit of 1000000 (defaults.ruleSizeLimit)");
        assertThat(RuleLimitCount.total(RuleLimitCount.Limit.SIZE)).isGreaterThan(before);
    }

    @Test
    void shouldRefuseAJoinOverTheSizeLimit() {
        // When
        RuleOutcome outcome = evaluate(new RuleLimits(1_000_000, 1_000),
                "intent.alternatives.map(a, intent.reasoning).join() != ''",
                input(intent().setAlternatives(HUNDRED).setReasoning("y".repeat(100))));

        // Then
        assertThat(outcome.detail()).contains("would build a value of 10000 characters");
    }

    @Test
    void shouldStopAListThatDoublesAtTheSizeLimit() {
        // When
        RuleOutcome outcome = evaluate(new RuleLimits(1_000_000, 300), "size(intent.alternatives + intent.alternatives"
                + " + intent.alternatives + intent.alternatives) > 0", input(intent().setAlternatives(HUNDRED)));

        // Then
        assertThat(outcome.detail()).contains("would build a value of 400 characters or entries");
    }

    @Test
    void shouldReplaceAndJoinAsCelsStringExtensionDoes() {
        // Given
        RuleInput input = input(intent().setAlternatives(List.of("a", "b", "c")).setReasoning("héllo héllo"));

        // When / Then
        assertThat(evaluate(RuleLimits.DEFAULT, "intent.reasoning.replace('', '_') == '_h_é_l_l_o_ _h_é_l_l_o_'"
                + " && intent.reasoning.replace('l', 'L', 3) == 'héLLo héLlo'"
                + " && intent.reasoning.replace('', '_', 2) == '_h_éllo héllo'"
                + " && intent.reasoning.replace('héllo', 'x') == 'x x'"
                + " && intent.reasoning.replace('l', 'L', 0) == intent.reasoning"
                + " && intent.alternatives.join() == 'abc' && intent.alternatives.join(', ') == 'a, b, c'"
                + " && [].join('-') == ''", input).status()).isEqualTo(Status.FIRED);
    }

    @Test
    void shouldRefuseToCompileARuleOverItsCostLimitWhateverTheIntent() {
        // Given four nested loops over a hundred values written in the rule
        String hundred = IntStream.range(0, 100).mapToObj(Integer::toString).toList().toString();
        String when = "%1$s.all(a, %1$s.all(b, %1$s.all(c, %1$s.all(d, a + b + c + d >= 0))))".formatted(hundred);

        // When
        RuleCompileResult result = RuleCompiler.compile(List.of(rule("r", when)), RuleLimits.DEFAULT);

        // Then
        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(error -> assertThat(error.message())
                .startsWith("can take ").endsWith(" evaluation steps, over the cost limit of 100000"
                        + " (defaults.ruleCostLimit): it would fail closed on every intent that gets that far"));
    }

    @Test
    void shouldCompileLoopsOverWrittenListsThatFitTheLimit() {
        // When
        RuleCompileResult result = RuleCompiler.compile(List.of(rule("r", "[1, 2, 3].all(a, [4, 5].all(b, a < b))")),
                RuleLimits.DEFAULT);

        // Then
        assertThat(result.isValid()).isTrue();
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void shouldWarnOfNestingOverTheIntentsListsButCompile() {
        // When
        RuleCompileResult result = RuleCompiler.compile(List.of(
                rule("linear", "intent.alternatives.exists(a, a == 'x')"),
                rule("cubic", "intent.alternatives.all(a, intent.dependsOn.all(b, intent.claims.all(c, c.resourceId != a + b)))")),
                RuleLimits.DEFAULT);

        // Then
        assertThat(result.isValid()).isTrue();
        assertThat(result.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.ruleId()).isEqualTo("cubic");
            assertThat(warning.message()).startsWith("comprehensions nested 3 deep over the intent's lists: its cost"
                    + " grows with the cube of their length");
        });
    }
}
