package io.agentmediator.rules;

import static io.agentmediator.rules.RuleFixtures.NOW;
import static io.agentmediator.rules.RuleFixtures.intent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParseResult;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.policy.PolicyProblem;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.rules.RuleOutcome.Status;
import io.agentmediator.schema.PolicyDocument;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A policy carries its rules compiled, and is invalid when one of them does not compile. */
class PolicyRulesTest {

    private static final String TWO_RULES = """
            version: "rules-1"
            tiers: [MANAGER]
            agents:
              - { id: ops-scheduler, department: operations }
            rules:
              - id: schedule-variance
                when: "'timeVariancePct' in intent.attributes && double(intent.attributes['timeVariancePct']) > 15.0"
                effect: ESCALATE
                tier: MANAGER
              - id: costly
                when: "intent.costMicros > %s"
                effect: REJECT
            """;

    @Test
    void shouldRejectAPolicyWithARuleThatDoesNotCompile() {
        // Given
        String yaml = TWO_RULES.formatted("agent.budgetMicros");

        // When
        PolicyParseResult result = PolicyParser.parse("rules.yaml", yaml);

        // Then
        assertThat(result.isValid()).isFalse();
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.path()).isEqualTo("rules[1].when");
            assertThat(problem.line()).isEqualTo(11);
            assertThat(problem.message())
                    .isEqualTo("rule \"costly\" does not compile at 1:26: undefined field 'budgetMicros'");
            assertThat(problem).hasToString("rules.yaml:11:11: rules[1].when: rule \"costly\" does not compile"
                    + " at 1:26: undefined field 'budgetMicros'");
        });
    }

    @Test
    void shouldReportBrokenRulesTogetherWithEveryOtherProblem() {
        // Given a syntax error in one rule, a mistyped comparison in another, and an unknown tier
        String yaml = TWO_RULES.formatted("'a lot'")
                .replace("double(intent.attributes['timeVariancePct']) > 15.0", "(intent.confidence < 0.5")
                .replace("[MANAGER]", "[MANAGER]\ndefaults: { conflictTier: BOSS }");

        // When
        PolicyParseResult result = PolicyParser.parse("rules.yaml", yaml);

        // Then
        assertThat(result.problems()).extracting(PolicyProblem::path, PolicyProblem::line).containsExactly(
                tuple("defaults.conflictTier", 3),
                tuple("rules[0].when", 8),
                tuple("rules[1].when", 12));
        assertThat(result.problems().get(1).message()).startsWith("rule \"schedule-variance\" does not compile at 1:");
        assertThat(result.problems().get(2).message()).contains("'_>_' applied to '(int, string)'");
    }

    @Test
    void shouldRejectAPolicyRecordWithARuleThatDoesNotCompile() {
        // Given a record whose rule went wrong after the policy was validated
        Policy valid = PolicyParser.parse("rules.yaml", TWO_RULES.formatted("1000")).policy();
        PolicyDocument document = PolicyCodec.toAvro(valid);
        document.getRules().get(0).setWhen("intent.attributes.timeVariancePct > 15");

        // When
        PolicyParseResult result = PolicyCodec.fromAvro(document);

        // Then
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem).extracting(PolicyProblem::path, PolicyProblem::line)
                    .containsExactly("rules[0].when", 0);
            assertThat(problem.message()).contains("schedule-variance", "'_>_' applied to '(string, int)'");
        });
    }

    @Test
    void shouldCarryTheRulesCompiledSoIntentsAreEvaluatedWithoutRecompiling() {
        // Given
        Policy policy = PolicyParser.parse("rules.yaml", TWO_RULES.formatted("1000")).policy();
        RuleInput input = new RuleInput(intent().setAttributes(Map.of("timeVariancePct", "15.1")).build(),
                policy.agent("ops-scheduler").orElseThrow().ruleAgent(), Map.of(), NOW);

        // When
        List<RuleOutcome> outcomes = policy.compiledRules().evaluate(input);

        // Then
        assertThat(policy.compiledRules().rules()).isEqualTo(policy.rules());
        assertThat(outcomes).extracting(outcome -> outcome.rule().id(), RuleOutcome::status)
                .containsExactly(tuple("schedule-variance", Status.FIRED), tuple("costly", Status.FIRED));
    }

    @Test
    void shouldKeepPoliciesEqualWhenTheirRulesAreCompiledApart() {
        // Given
        Policy parsed = PolicySource.load("classpath:policies/example.yaml").policy();

        // When
        Policy viaRecord = PolicyCodec.fromAvro(PolicyCodec.toAvro(parsed)).policy();

        // Then
        assertThat(viaRecord.compiledRules()).isNotSameAs(parsed.compiledRules());
        assertThat(viaRecord).isEqualTo(parsed).hasSameHashCodeAs(parsed);
    }

    @Test
    void shouldHoldRulesToTheLimitsOfThePolicysDefaultsAcrossThePolicyTopic() {
        // Given a cost limit that ten alternatives take the rule past
        String yaml = """
                version: "rules-2"
                tiers: [MANAGER]
                defaults: { ruleCostLimit: 40, ruleSizeLimit: 64 }
                agents:
                  - { id: ops-scheduler }
                rules:
                  - { id: retries, when: "intent.alternatives.exists(a, a == 'retry')", effect: REJECT }
                """;
        RuleInput tenAlternatives = new RuleInput(intent().setAlternatives(Collections.nCopies(10, "wait")).build(),
                RuleFixtures.AGENT.ruleAgent(), Map.of(), NOW);

        // When
        Policy viaRecord = PolicyCodec.fromAvro(PolicyCodec.toAvro(PolicyParser.parse("rules.yaml", yaml).policy())).policy();
        List<RuleOutcome> outcomes = viaRecord.compiledRules().evaluate(tenAlternatives);

        // Then
        assertThat(viaRecord.defaults().ruleLimits()).isEqualTo(new RuleLimits(40, 64));
        assertThat(outcomes).extracting(RuleOutcome::status, RuleOutcome::detail).containsExactly(
                tuple(Status.ERROR, "over its cost limit of 40 evaluation steps (defaults.ruleCostLimit)"));
    }

    @Test
    void shouldRefuseRuleLimitsPastTheirCeilings() {
        // Given
        String yaml = TWO_RULES.formatted("1000").replace("tiers: [MANAGER]",
                "tiers: [MANAGER]\ndefaults: { ruleCostLimit: 10000001, ruleSizeLimit: 0 }");

        // When
        PolicyParseResult result = PolicyParser.parse("rules.yaml", yaml);

        // Then
        assertThat(result.problems()).extracting(PolicyProblem::path, PolicyProblem::message).containsExactly(
                tuple("defaults.ruleCostLimit", "must be between 1 and 10000000, found 10000001"),
                tuple("defaults.ruleSizeLimit", "must be between 1 and 10000000, found 0"));
    }

    @Test
    void shouldCompileTheExamplePolicysRules() {
        // Given
        Policy policy = PolicySource.load("classpath:policies/example.yaml").policy();
        RuleInput weekendMigration = new RuleInput(intent().setAction("migration.run").setTarget("k8s")
                .setAttributes(Map.of("environment", "production", "scheduledDay", "SUNDAY")).build(),
                policy.agent("ops-scheduler").orElseThrow().ruleAgent(), Map.of(), NOW);

        // When
        List<RuleOutcome> outcomes = policy.compiledRules().evaluate(weekendMigration);

        // Then
        assertThat(outcomes).extracting(outcome -> outcome.rule().id(), RuleOutcome::status).containsExactly(
                tuple("schedule-variance", Status.NOT_FIRED),
                tuple("no-weekend-production-migrations", Status.FIRED),
                tuple("large-purchase-orders", Status.NOT_FIRED));
    }

    @Test
    void shouldCompileTheDesignSamplesRule() {
        // Given
        PolicyParseResult result = PolicySource.load("classpath:policies/design-sample.yaml");

        // When
        Policy policy = result.policy();

        // Then
        assertThat(policy.compiledRules().rules()).extracting(Rule::id).containsExactly("schedule-variance");
    }
}
