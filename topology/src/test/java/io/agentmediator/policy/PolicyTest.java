package io.agentmediator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.rules.RuleLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTest {

    private static final PolicyDefaults DEFAULTS = new PolicyDefaults(PolicyDefaults.DEFAULT_ZONE, 0.0,
            PolicyDefaults.DEFAULT_ESCALATION_TIMEOUT, PolicyDefaults.DEFAULT_DEPENDENCY_TIMEOUT, "BOARD", "MANAGER",
            RuleLimits.DEFAULT, IntentIdPrefix.NONE);

    private static Policy policyWith(List<String> tiers, List<ResourceCapacity> resources) {
        return new Policy("v1", DEFAULTS, tiers, Map.of(), Map.of(), resources, Map.of(), List.of(), List.of());
    }

    @Test
    void shouldGiveCapacityOneToAnUnlistedResource() {
        // Given
        Policy policy = policyWith(List.of(), List.of(new ResourceCapacity("budget-line:*", 100)));

        // When
        long capacity = policy.capacityOf("room:boardroom");

        // Then
        assertThat(capacity).isEqualTo(1);
    }

    @Test
    void shouldTakeTheCapacityOfTheFirstMatchingPattern() {
        // Given two patterns that both match room:boardroom
        Policy policy = policyWith(List.of(), List.of(
                new ResourceCapacity("room:board*", 2),
                new ResourceCapacity("room:*", 5)));

        // When / Then
        assertThat(policy.capacityOf("room:boardroom")).isEqualTo(2);
        assertThat(policy.capacityOf("room:kitchen")).isEqualTo(5);
    }

    @Test
    void shouldRankTiersLowestFirst() {
        // Given
        Policy policy = policyWith(List.of("MANAGER", "DIRECTOR", "BOARD"), List.of());

        // When / Then
        assertThat(policy.tierRank("MANAGER")).isZero();
        assertThat(policy.tierRank("BOARD")).isEqualTo(2);
        assertThat(policy.tierRank("CEO")).isEqualTo(-1);
        assertThat(policy.lowestTier()).isEqualTo("MANAGER");
        assertThat(policy.highestTier()).isEqualTo("BOARD");
    }

    @Test
    void shouldHaveNoLowestOrHighestTierWithoutTiers() {
        // Given
        Policy policy = policyWith(List.of(), List.of());

        // When / Then
        assertThat(policy.lowestTier()).isNull();
        assertThat(policy.highestTier()).isNull();
    }

    @Test
    void shouldFindAnAgentById() {
        // Given
        AgentProfile agent = new AgentProfile("bot", null, null, false, null, null,
                new Capabilities(null, null, null), null, null, null, null);
        Policy policy = new Policy("v1", DEFAULTS, null, Map.of("bot", agent), null, null, null, null, null);

        // When / Then
        assertThat(policy.agent("bot")).contains(agent);
        assertThat(policy.agent("nobody")).isEmpty();
        assertThat(agent.budgets()).isEmpty();
        assertThat(agent.capabilities().actions()).isEmpty();
    }

    @Test
    void shouldKeepItsOwnUnmodifiableCopiesAndNoNulls() {
        // Given a mutable list handed to the policy
        List<String> tiers = new ArrayList<>(List.of("MANAGER"));
        Policy policy = new Policy("v1", DEFAULTS, tiers, null, null, null, null, null, null);

        // When the caller changes its list afterwards
        tiers.add("BOARD");

        // Then the policy is unaffected, and what was not given is empty, never null
        assertThat(policy.tiers()).containsExactly("MANAGER");
        assertThatThrownBy(() -> policy.tiers().add("X")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(policy.agents()).isEmpty();
        assertThat(policy.pools()).isEmpty();
        assertThat(policy.resources()).isEmpty();
        assertThat(policy.dataFlows()).isEmpty();
        assertThat(policy.approvers()).isEmpty();
        assertThat(policy.rules()).isEmpty();
    }
}
