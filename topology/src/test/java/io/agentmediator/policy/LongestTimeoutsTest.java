package io.agentmediator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A timeout meant as "never" is written as a very long duration. Every timeout the policy accepts must work through the
 * topology, the longest included: a duration too long to add to an intent's time (or to hold as epoch milliseconds) got
 * through validation once, and then every intent it applied to was dead-lettered, or waited for good.
 */
class LongestTimeoutsTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private static String policy(String escalationTimeout, String dependencyTimeout) {
        return """
                version: "longest-timeouts"
                defaults: { escalationTimeout: %s, dependencyTimeout: %s }
                tiers: [MANAGER]
                agents:
                  - id: planner
                    capabilities: { actions: ["*"], targets: ["*"] }
                    authority: { maxCommitmentMicros: 10 }
                executors:
                  - { id: executor-1, agents: ["*"], publicKey: "%s" }
                """.formatted(escalationTimeout, dependencyTimeout, TestKeys.publicKey("executor-1"));
    }

    private static AgentIntent.Builder intent(String id) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("planner").setAction("a.b").setTarget("t")
                .setCostMicros(1).setCommitmentMicros(0).setConfidence(0.9).setClaims(List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"P36501D", "P200000000000D", "P999999999999D"})
    void shouldRefuseATimeoutLongerThanACenturyNamingIt(String timeout) {
        for (String field : List.of("escalationTimeout", "dependencyTimeout")) {
            String yaml = field.equals("escalationTimeout") ? policy(timeout, "PT24H") : policy("PT4H", timeout);

            assertThat(PolicyParser.parse("p.yaml", yaml).problems()).singleElement().satisfies(problem -> {
                assertThat(problem.path()).isEqualTo("defaults." + field);
                assertThat(problem.message()).startsWith("must be at most P36500D (100 years), found " + timeout);
            });
        }
    }

    @Test
    void shouldEscalateAndWaitUnderTheLongestTimeoutsItAccepts() {
        String yaml = policy("P36500D", "P36500D");
        assertThat(PolicyParser.parse("p.yaml", yaml).problems()).isEmpty();

        try (PipelineDriver mediator = new PipelineDriver(yaml, T0)) {
            mediator.send(intent("over-authority").setCommitmentMicros(1_000).build(), T0);
            mediator.send(intent("step-1").build(), T0);
            mediator.send(intent("step-2").setDependsOn(List.of("step-1")).build(), T0.plusSeconds(1));
            mediator.report("step-1", OutcomeStatus.COMPLETED, null, T0.plusSeconds(2));
            mediator.advanceWallClock(Duration.ofSeconds(30));

            assertThat(mediator.deadLetters()).isEmpty();
            assertThat(mediator.decision("over-authority").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
            assertThat(mediator.decision("over-authority").getDeadline()).isEqualTo(T0.plus(Duration.ofDays(36_500)));
            assertThat(mediator.decision("step-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        }
    }
}
