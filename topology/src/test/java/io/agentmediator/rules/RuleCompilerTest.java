package io.agentmediator.rules;

import static io.agentmediator.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
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

    private static RuleCompileError onlyError(String when) {
        RuleCompileResult result = RuleCompiler.compile(List.of(rule("r", when)));
        assertThat(result.errors()).hasSize(1);
        return result.errors().get(0);
    }
}
