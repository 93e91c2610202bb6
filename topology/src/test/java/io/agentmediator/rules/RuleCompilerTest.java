package io.agentmediator.rules;

import static io.agentmediator.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A rule that does not compile is found when its policy is loaded, named, and placed within its condition. */
class RuleCompilerTest {

    private static final String SCHEDULE_VARIANCE =
            "'timeVariancePct' in intent.attributes && double(intent.attributes['timeVariancePct']) > 15.0";

    @Test
    void shouldCompileTheDesignsScheduleVarianceRule() {
        // Given
        Rule rule = rule("schedule-variance", SCHEDULE_VARIANCE);

        // When
        RuleCompileResult result = RuleCompiler.compile(List.of(rule));

        // Then
        assertThat(result.isValid()).isTrue();
        assertThat(result.errors()).isEmpty();
        assertThat(result.compiledRules().rules()).containsExactly(rule);
    }

    @Test
    void shouldPlaceASyntaxError() {
        // When
        RuleCompileError error = onlyError("intent.action.startsWith('migration.') &&");

        // Then
        assertThat(error.ruleId()).isEqualTo("r");
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.column()).isEqualTo(42);
        assertThat(error.message()).startsWith("mismatched input '<EOF>'");
    }

    @Test
    void shouldNameAnUnknownVariable() {
        // When
        RuleCompileError error = onlyError("intnet.costMicros > 0");

        // Then
        assertThat(error).extracting(RuleCompileError::line, RuleCompileError::column).containsExactly(1, 1);
        assertThat(error.message()).isEqualTo("undeclared reference to 'intnet' (in container '')");
    }

    @Test
    void shouldNameAnUnknownField() {
        // When
        RuleCompileError error = onlyError("intent.costMicro > 0");

        // Then
        assertThat(error).extracting(RuleCompileError::line, RuleCompileError::column).containsExactly(1, 7);
        assertThat(error.message()).isEqualTo("undefined field 'costMicro'");
    }

    @Test
    void shouldRequireABoolResult() {
        // When
        RuleCompileError error = onlyError("intent.costMicros * 2");

        // Then
        assertThat(error.message()).isEqualTo("expected type 'bool' but found 'int'");
    }

    @Test
    void shouldNameAnUnknownFunction() {
        // When
        RuleCompileError error = onlyError("intent.action.shout() == 'SCHEDULE'");

        // Then
        assertThat(error.column()).isEqualTo(20);
        assertThat(error.message()).contains("undeclared reference to 'shout'");
    }

    @Test
    void shouldRejectComparingAnExpiryThatMayBeAbsent() {
        // Given an expiry is optional, so that an absent one cannot silently read as 1970

        // When
        RuleCompileError error = onlyError("now > intent.expiresAt");

        // Then
        assertThat(error.message())
                .contains("no matching overload for '_>_'", "optional_type(google.protobuf.Timestamp)");
    }

    @Test
    void shouldRejectComparingTextWithANumber() {
        // When
        RuleCompileError error = onlyError("intent.attributes['timeVariancePct'] > 15.0");

        // Then
        assertThat(error.message()).contains("no matching overload for '_>_' applied to '(string, double)'");
    }

    @Test
    void shouldPlaceAnErrorOnALaterLineOfTheCondition() {
        // When
        RuleCompileError error = onlyError("intent.action == 'schedule.update'\n    && agent.departmnt == 'ops'");

        // Then
        assertThat(error).extracting(RuleCompileError::line, RuleCompileError::column).containsExactly(2, 13);
    }

    @Test
    void shouldReportTheErrorsOfEveryRuleAtOnce() {
        // Given
        List<Rule> rules = List.of(rule("typo", "intent.acton == 'x'"), rule("fine", "true"),
                rule("number", "intent.confidence"));

        // When
        RuleCompileResult result = RuleCompiler.compile(rules);

        // Then
        assertThat(result.isValid()).isFalse();
        assertThat(result.errors()).extracting(RuleCompileError::ruleIndex, RuleCompileError::ruleId)
                .containsExactly(tuple(0, "typo"), tuple(2, "number"));
        assertThatThrownBy(result::compiledRules)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rules do not compile: rule \"typo\" 1:7: undefined field 'acton'; "
                        + "rule \"number\" 1:7: expected type 'bool' but found 'double'");
    }

    @Test
    void shouldCompileNoRulesToNoOutcomes() {
        // When
        CompiledRules compiled = RuleCompiler.compile(List.of()).compiledRules();

        // Then
        assertThat(compiled.rules()).isEmpty();
        assertThat(compiled.evaluate(RuleFixtures.input(RuleFixtures.intent()))).isEmpty();
    }

    @Test
    void shouldCompareCompiledRulesByTheRulesTheyWereCompiledFrom() {
        // Given
        List<Rule> rules = List.of(rule("a", "true"), rule("b", "intent.costMicros > 0"));

        // When
        CompiledRules once = RuleCompiler.compile(rules).compiledRules();
        CompiledRules twice = RuleCompiler.compile(rules).compiledRules();

        // Then
        assertThat(once).isEqualTo(twice).hasSameHashCodeAs(twice).hasToString("CompiledRules[a, b]");
        assertThat(once).isNotEqualTo(RuleCompiler.compile(rules.subList(0, 1)).compiledRules());
    }

    @Test
    void shouldRefuseARegularExpressionWrittenInTheRuleThatDoesNotParse() {
        // When
        RuleCompileError error = onlyError("intent.action.matches('^vendor[.](create|delete$')");

        // Then
        assertThat(error.message()).startsWith("the regular expression does not parse: error parsing regexp: missing closing )");
    }

    @Test
    void shouldRefuseARegularExpressionWrittenInTheRuleWhoseNestedRepeatsPassRe2sLimit() {
        // When, in either form of matches
        RuleCompileError member = onlyError("intent.target.matches('^((e{1000}){100}){100}$')");
        RuleCompileError global = onlyError("matches(intent.target, '(e{1000}){2}')");

        // Then
        assertThat(member.message()).contains("nested repeats multiply to 10000000, over RE2's limit of 1000");
        assertThat(global.message()).contains("nested repeats multiply to 2000, over RE2's limit of 1000");
    }

    @Test
    void shouldRefuseARegularExpressionWrittenInTheRuleThatWouldCompilePastTheSizeLimit() {
        // When
        RuleCompileError error = onlyError("intent.target.matches('" + "e{1000}".repeat(1_001) + "')");

        // Then
        assertThat(error.message()).contains("would compile to about").contains("over the size limit of 1000000 (defaults.ruleSizeLimit)");
    }

    @Test
    void shouldReadQuotedTextInARegularExpressionAsLiteralCharacters() {
        // When the repeats RE2 expands come after a quoted bracket, and when they are themselves quoted
        RuleCompileError afterQuote = onlyError("intent.target.matches(r'x\\Q[\\E(a{1000}){1000}')");
        RuleCompileResult quoted = RuleCompiler.compile(List.of(rule("r", "intent.target.matches(r'\\Q(a{1000}){1000}\\E')")));

        // Then the first is refused for what RE2J would build of it, the second is literal text and compiles
        assertThat(afterQuote.message()).contains("nested repeats multiply to 1000000, over RE2's limit of 1000");
        assertThat(quoted.errors()).isEmpty();
    }

    @Test
    void shouldCompileRegularExpressionsWithinTheLimitsAndLeaveThoseReadFromTheIntentToEvaluation() {
        // When
        RuleCompileResult result = RuleCompiler.compile(List.of(
                rule("written", "intent.action.matches('^vendor[.](create|delete)$') && intent.target.matches('[0-9]{4}-[0-9]{2}')"),
                rule("read", "intent.action.matches(intent.attributes[?'pattern'].orValue('^vendor'))")));

        // Then
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void shouldRefuseRulesThatTogetherCanTakeMoreThanTenTimesTheCostLimit() {
        // Given a rule of about 90,000 steps whatever the intent, under the cost limit of 100,000 alone
        String list = IntStream.range(0, 90).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
        String when = list + ".exists(a, " + list + ".exists(b, a + b < 0))";

        // When a policy has eleven of them, and another twelve
        RuleCompileResult eleven = RuleCompiler.compile(IntStream.range(0, 11).mapToObj(i -> rule("r" + i, when)).toList());
        RuleCompileResult twelve = RuleCompiler.compile(IntStream.range(0, 12).mapToObj(i -> rule("r" + i, when)).toList());

        // Then eleven fit in the 1,000,000 the rules may take together, and twelve are refused at the one that passes it
        assertThat(eleven.errors()).isEmpty();
        assertThat(twelve.errors()).singleElement().satisfies(error -> {
            assertThat(error.ruleId()).isEqualTo("r11");
            assertThat(error.message()).startsWith("with the ENFORCE rules before it can take ")
                    .contains("over the 1000000 all of a policy's ENFORCE rules may take together (10 times defaults.ruleCostLimit)");
        });
    }

    private static RuleCompileError onlyError(String when) {
        RuleCompileResult result = RuleCompiler.compile(List.of(rule("r", when)));
        assertThat(result.errors()).hasSize(1);
        return result.errors().get(0);
    }
}
