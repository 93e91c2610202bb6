package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.ReasonCode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Why an agent may not finish what it started, as the decisions that close what it had open say it: its own switch,
 * every agent's, the policy suspending it, or the policy no longer listing it.
 */
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
        assertThat(suspensions.bar("active", POLICY)).isEmpty();
    }

    @Test
    void shouldNameThePolicyThatSuspendsTheAgent() {
        assertThat(suspensions.bar("retired", POLICY)).hasValue(new AgentBar(ReasonCode.AGENT_SUSPENDED, "suspended in policy suspensions-3"));
    }

    @Test
    void shouldBarAnAgentThePolicyNoLongerListsAsTheGateRejectsAnUnknownOne() {
        assertThat(suspensions.bar("dropped", POLICY)).hasValue(new AgentBar(ReasonCode.UNKNOWN_AGENT, "dropped by policy suspensions-3"));
        assertThat(suspensions.bar("dropped", POLICY).orElseThrow().sentence("dropped", "this escalation was open"))
                .isEqualTo("agent \"dropped\" was dropped by policy suspensions-3 while this escalation was open");
    }

    @Test
    void shouldNameThePolicyNotListingTheAgentBeforeAnySwitchAsTheGateChecksThem() {
        suspensions.accept("dropped", AcceptedControl.of(new Control(ControlAction.SUSPEND, "runaway", "alice", AT)));

        assertThat(suspensions.bar("dropped", POLICY).orElseThrow().code()).isEqualTo(ReasonCode.UNKNOWN_AGENT);
    }

    @Test
    void shouldPreferTheOperatorsSwitchToThePolicy() {
        suspensions.accept("retired", AcceptedControl.of(new Control(ControlAction.SUSPEND, "still running", "alice", AT)));

        assertThat(suspensions.bar("retired", POLICY).map(AgentBar::phrase)).hasValue("suspended by alice at " + AT + ": still running");
    }

    @Test
    void shouldReadAfterAgentXWasWhenEveryAgentIsSuspended() {
        suspensions.accept(Suspensions.ALL, AcceptedControl.of(new Control(ControlAction.SUSPEND, "incident 42", "sre", AT)));

        assertThat(suspensions.bar("active", POLICY).map(AgentBar::phrase)).hasValue("suspended with every agent by sre at " + AT + ": incident 42");
    }
}
