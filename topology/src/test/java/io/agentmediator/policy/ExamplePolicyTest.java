package io.agentmediator.policy;

import io.agentmediator.rules.Rule;
import io.agentmediator.rules.RuleEffect;
import io.agentmediator.rules.RuleMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.demo.DemoKeys;
import io.agentmediator.signing.Ed25519Keys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example policy is what the demo and the embedded default run on; these are the parts they rely on. */
class ExamplePolicyTest {

    private final Policy policy = PolicySource.load("classpath:policies/example.yaml").policy();

    @Test
    void shouldHaveTheDemoAgentsInOrder() {
        // Given / When
        List<String> ids = List.copyOf(policy.agents().keySet());

        // Then
        assertThat(ids).containsExactly(
                "finance-analyst", "procurement-buyer", "ops-scheduler", "research-assistant", "deploy-bot", "legacy-bot");
    }

    @Test
    void shouldGiveTheFinanceAnalystItsAuthorityRateAndBudgets() {
        // Given / When
        AgentProfile analyst = policy.agent("finance-analyst").orElseThrow();

        // Then
        assertThat(analyst.department()).isEqualTo("finance");
        assertThat(analyst.capabilities().actions()).containsExactly("invoice.*", "report.generate");
        assertThat(analyst.capabilities().targets()).containsExactly("erp", "llm:small");
        assertThat(analyst.capabilities().dataClasses()).containsExactly("PUBLIC", "INTERNAL", "CONFIDENTIAL");
        assertThat(analyst.maxCommitmentMicros()).isEqualTo(5_000_000_000L);
        assertThat(analyst.rateLimit()).isEqualTo(new RateLimit(20, 2.0));
        assertThat(analyst.budgets()).containsExactly(
                new BudgetLimit(BudgetWindow.DAY, 50_000_000L, 0.8),
                new BudgetLimit(BudgetWindow.MONTH, 900_000_000L, null));
        assertThat(analyst.pool()).isEqualTo("finance-team");
        assertThat(policy.pools()).containsKey("finance-team");
    }

    @Test
    void shouldLetTheProcurementBuyerUseTheLargeModelButNotTheResearchAssistant() {
        // Given / When
        AgentProfile buyer = policy.agent("procurement-buyer").orElseThrow();
        AgentProfile researcher = policy.agent("research-assistant").orElseThrow();

        // Then
        assertThat(buyer.maxCommitmentMicros()).isEqualTo(2_000_000_000L);
        assertThat(buyer.capabilities().targets()).contains("supplier-portal", "llm:large");
        assertThat(researcher.capabilities().targets()).doesNotContain("llm:large");
        assertThat(researcher.budgets()).anySatisfy(budget -> {
            assertThat(budget.window()).isEqualTo(BudgetWindow.DAY);
            assertThat(budget.limitMicros()).isLessThan(5_000_000L);
        });
    }

    @Test
    void shouldHaveASuspendedAgent() {
        // Given / When / Then
        assertThat(policy.agent("legacy-bot").orElseThrow().suspended()).isTrue();
        assertThat(policy.agents().values()).filteredOn(AgentProfile::suspended).hasSize(1);
    }

    @Test
    void shouldHaveCapacitiesDataFlowsAndApprovers() {
        // Given / When / Then
        assertThat(policy.tiers()).containsExactly("MANAGER", "BOARD");
        assertThat(policy.capacityOf("budget-line:marketing-2026")).isEqualTo(100);
        assertThat(policy.capacityOf("room:boardroom")).isEqualTo(1);
        assertThat(policy.capacityOf("migration-window:2026-11-21")).isEqualTo(1);
        assertThat(policy.capacityOf("printer:3rd-floor")).isEqualTo(1);
        assertThat(policy.dataFlows())
                .containsEntry("CONFIDENTIAL", List.of("erp"))
                .containsEntry("PII", List.of("erp"));
        assertThat(policy.approvers()).extracting(Approver::id, Approver::tier, Approver::departments, Approver::answersForOwnAgents)
                .contains(tuple("maria@example.com", "MANAGER", List.of("finance"), true), tuple("board@example.com", "BOARD", List.of(), false));
        // No operators are listed, so controls stay unsigned (CONTROLS_UNSIGNED); approvals and outcomes must be signed
        assertThat(policy.signatures()).isEqualTo(new SignatureRules(SignatureRequirement.REQUIRED, SignatureRequirement.REQUIRED, SignatureRequirement.OPTIONAL,
                SignatureRequirement.OPTIONAL));
    }

    @Test
    void shouldValidateWithoutRelaxingWhoMayAnswerOrReport() {
        // When the warnings policy validate prints are taken
        List<String> warnings = SignerWarnings.of(policy);

        // Then none says approvals or outcomes are OPTIONAL, and no approver or executor is left without a key
        assertThat(warnings).noneMatch(warning -> warning.startsWith("SIGNATURES_OPTIONAL") || warning.startsWith("NO_KEY"))
                .anyMatch(warning -> warning.startsWith("CONTROLS_UNSIGNED"));
    }

    @Test
    void shouldRegisterTheKeysTheDemosApproversAndExecutorsSignWith() {
        // Given the approvers the demo answers as, and the executor it reports as for each agent that can be executed
        List<String> executors = policy.agents().values().stream().filter(agent -> !agent.suspended())
                .map(agent -> "executor:" + agent.id()).toList();

        // Then each is registered with the public half of its demo key, and executes for its own agent only
        assertThat(policy.approvers()).isNotEmpty().allSatisfy(approver ->
                assertThat(approver.publicKey()).isEqualTo(Ed25519Keys.publicKeyOf(DemoKeys.privateKey(approver.id()))));
        assertThat(policy.executors()).extracting(Executor::id).containsExactlyElementsOf(executors);
        assertThat(policy.executors()).allSatisfy(executor -> {
            assertThat(executor.publicKey()).isEqualTo(Ed25519Keys.publicKeyOf(DemoKeys.privateKey(executor.id())));
            assertThat(executor.agents()).containsExactly(executor.id().substring("executor:".length()));
        });
    }

    @Test
    void shouldHaveAnEscalateARejectAndAnAuditRule() {
        // Given / When
        List<Rule> rules = policy.rules();

        // Then
        assertThat(rules).extracting(Rule::id).contains("schedule-variance");
        assertThat(rules).filteredOn(rule -> rule.id().equals("schedule-variance")).singleElement()
                .satisfies(rule -> {
                    assertThat(rule.effect()).isEqualTo(RuleEffect.ESCALATE);
                    assertThat(rule.tier()).isEqualTo("MANAGER");
                });
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.effect()).isEqualTo(RuleEffect.REJECT);
            assertThat(rule.mode()).isEqualTo(RuleMode.ENFORCE);
        });
        assertThat(rules).anySatisfy(rule -> assertThat(rule.mode()).isEqualTo(RuleMode.AUDIT));
    }
}
