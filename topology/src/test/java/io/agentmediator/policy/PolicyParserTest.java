package io.agentmediator.policy;

import io.agentmediator.rules.Rule;
import io.agentmediator.rules.RuleEffect;
import io.agentmediator.rules.RuleMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.rules.RuleLimits;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    @Test
    void shouldParseTheSamplePolicyOfTheDesign() {
        // Given DESIGN.md's sample policy, with a real key where the design truncates it
        String location = "classpath:policies/design-sample.yaml";

        // When
        PolicyParseResult result = PolicySource.load(location);

        // Then
        assertThat(result.problems()).isEmpty();
        Policy policy = result.policy();
        assertThat(policy.version()).isEqualTo("2026-11-21.1");
        assertThat(policy.defaults()).isEqualTo(new PolicyDefaults(ZoneId.of("UTC"), 0.6, Duration.ofHours(4),
                Duration.ofHours(24), "BOARD", "MANAGER", RuleLimits.DEFAULT, IntentIdPrefix.NONE));
        assertThat(policy.tiers()).containsExactly("MANAGER", "BOARD");

        AgentProfile agent = policy.agent("finance-analyst").orElseThrow();
        assertThat(agent.owner()).isEqualTo("maria@example.com");
        assertThat(agent.department()).isEqualTo("finance");
        assertThat(agent.suspended()).isFalse();
        assertThat(agent.publicKey().getAlgorithm()).isIn("Ed25519", "EdDSA");
        assertThat(agent.publicKeyBase64()).isEqualTo("MCowBQYDK2VwAyEA5QzqcQ5nxpXc1XwX1NQttPQZrbJXaxGnqyHcQfYcYUY=");
        assertThat(agent.capabilities()).isEqualTo(new Capabilities(List.of("invoice.*", "report.generate"),
                List.of("erp", "llm:small"), List.of("PUBLIC", "INTERNAL", "CONFIDENTIAL")));
        assertThat(agent.maxCommitmentMicros()).isEqualTo(5_000_000_000L);
        assertThat(agent.rateLimit()).isEqualTo(new RateLimit(20, 2.0));
        assertThat(agent.budgets()).containsExactly(
                new BudgetLimit(BudgetWindow.DAY, 50_000_000L, 0.8),
                new BudgetLimit(BudgetWindow.MONTH, 900_000_000L, null));
        assertThat(agent.pool()).isEqualTo("finance-team");

        assertThat(policy.pools()).containsOnlyKeys("finance-team");
        assertThat(policy.pools().get("finance-team").budgets())
                .containsExactly(new BudgetLimit(BudgetWindow.MONTH, 2_000_000_000L, null));
        assertThat(policy.resources()).containsExactly(new ResourceCapacity("budget-line:*", 100));
        assertThat(policy.dataFlows()).containsEntry("CONFIDENTIAL", List.of("erp"));
        assertThat(policy.approvers()).containsExactly(
                new Approver("maria@example.com", "MANAGER", List.of("finance")),
                new Approver("board@example.com", "BOARD", List.of()));
        assertThat(policy.rules()).containsExactly(new Rule("schedule-variance",
                "'timeVariancePct' in intent.attributes && double(intent.attributes['timeVariancePct']) > 15.0",
                RuleEffect.ESCALATE, "MANAGER", RuleMode.ENFORCE, "schedule variance above 15%"));
    }

    @Test
    void shouldReportEveryProblemOfABrokenPolicyAtItsPlace() {
        // Given a policy with fifteen distinct mistakes
        String location = "classpath:policies/broken.yaml";

        // When
        PolicyParseResult result = PolicySource.load(location);

        // Then each is reported, in document order, with its path and line; nothing else is
        assertThat(result.isValid()).isFalse();
        assertThat(result.problems())
                .extracting(PolicyProblem::path, PolicyProblem::line)
                .containsExactly(
                        tuple("defaults.zone", 4),
                        tuple("defaults.minConfidence", 5),
                        tuple("defaults.escalationTimeout", 6),
                        tuple("defaults.conflictTier", 7),
                        tuple("agents[0].rateLimit.capacity", 12),
                        tuple("agents[0].budgets[0].warnat", 14),
                        tuple("agents[0].pool", 15),
                        tuple("agents[1].budgets[0].window", 18),
                        tuple("agents[1].budgets[0].limitMicros", 18),
                        tuple("agents[2].id", 19),
                        tuple("agents[2].suspended", 20),
                        tuple("pools[0].budgets[0].limitMicros", 22),
                        tuple("approvers[0].tier", 24),
                        tuple("rules[0].tier", 26),
                        tuple("rules[1].effect", 31));
        assertThat(result.problems()).extracting(PolicyProblem::source).containsOnly("broken.yaml");
    }

    @Test
    void shouldDescribeAProblemLikeACompilerWould() {
        // Given
        PolicyParseResult result = PolicySource.load("classpath:policies/broken.yaml");

        // When
        List<String> lines = result.problems().stream().map(PolicyProblem::toString).toList();

        // Then
        assertThat(lines).contains(
                "broken.yaml:18:19: agents[1].budgets[0].window: "
                        + "unknown window \"YEAR\" (expected HOUR, DAY, WEEK or MONTH)",
                "broken.yaml:14:47: agents[0].budgets[0].warnat: unknown key \"warnat\" (did you mean \"warnAt\"?)",
                "broken.yaml:19:9: agents[2].id: duplicate agent id \"finance-analyst\" (first at agents[0].id)",
                "broken.yaml:24:5: approvers[0].tier: required, but missing");
    }

    @Test
    void shouldReportAYamlSyntaxErrorWithItsLine() {
        // Given a flow list that is never closed
        String location = "classpath:policies/syntax-error.yaml";

        // When
        PolicyParseResult result = PolicySource.load(location);

        // Then
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.line()).isEqualTo(3);
            assertThat(problem.column()).isPositive();
            assertThat(problem.path()).isEmpty();
            assertThat(problem.message()).startsWith("YAML syntax: expected ',' or ']'").doesNotContain("\n");
        });
    }

    @Test
    void shouldRefuseAnInvalidPolicyListingEveryProblem() {
        // Given
        PolicyParseResult result = PolicySource.load("classpath:policies/broken.yaml");

        // When / Then
        assertThatThrownBy(result::policy)
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageStartingWith("broken.yaml is not a valid policy (15 problems):")
                .hasMessageContaining("broken.yaml:4:9: defaults.zone: unknown time zone \"Europe/Atlantis\"")
                .hasMessageContaining("broken.yaml:31:13: rules[1].effect: unknown effect \"WARN\"")
                .satisfies(e -> assertThat(((InvalidPolicyException) e).problems()).hasSize(15));
    }

    @Test
    void shouldGiveAValidPolicyNoProblems() {
        // Given
        String yaml = "version: \"1\"\n";

        // When
        PolicyParseResult result = PolicyParser.parse("policy.yaml", yaml);

        // Then
        assertThat(result.isValid()).isTrue();
        assertThat(result.problems()).isEmpty();
        assertThat(result.policy().version()).isEqualTo("1");
    }
}
