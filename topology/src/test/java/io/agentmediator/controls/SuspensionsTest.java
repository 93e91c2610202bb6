package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Why an agent is suspended, as the decisions that close what it had open say it: its own switch, every agent's, or the policy. */
class SuspensionsTest {

    private static final Instant AT = Instant.parse("2026-11-23T09:00:00Z");
    private static final Policy POLICY = PolicyParser.parse("suspensions.yaml", """
            version: "suspensions-3"
            tiers: [MANAGER]
            agents:
              - { id: active, capabilities: { actions: ["*"], targets: ["*"] } }
              - { id: retired, suspended: true, capabilities: { actions: ["*"], targets: ["*"] } }
            approvers:
              - { id: manager, tier: MANAGER }
            """).policy();

    private final Suspensions suspensions = new Suspensions();

    @Test
    void shouldSayNothingForAnAgentNeitherSwitchedNorSuspendedInThePolicy() {
        assertThat(suspensions.why("active", POLICY)).isEmpty();
    }

    @Test
    void shouldNameThePolicyThatSuspendsTheAgent() {
        assertThat(suspensions.why("retired", POLICY)).hasValue("suspended in policy suspensions-3");
    }

    @Test
    void shouldPreferTheOperatorsSwitchToThePolicy() {
        suspensions.suspend(new Suspension("retired", "still running", "alice", AT));

        assertThat(suspensions.why("retired", POLICY)).hasValue("suspended by alice at " + AT + ": still running");
    }

    @Test
    void shouldReadAfterAgentXWasWhenEveryAgentIsSuspended() {
        suspensions.suspend(new Suspension(Suspensions.ALL, "incident 42", "sre", AT));

        assertThat(suspensions.why("active", POLICY)).hasValue("suspended with every agent by sre at " + AT + ": incident 42");
    }
}
