package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.testing.CapturedLog;
import io.agentmediator.testing.PipelineDriver;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operator who pulls the kill switch on an id the policy does not list (a mistyped agent id, in an incident) stops
 * nobody: the switch is accepted and shown in force, as a switch may be pulled before its agent is listed, so the mediator
 * says so where operators look, in its log, naming the policy that lists no such agent.
 */
class UnlistedAgentSwitchTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "unlisted-1"
            tiers: [MANAGER]
            agents:
              - { id: research-assistant, capabilities: { actions: ["*"], targets: ["*"] } }
            """;

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldWarnThatASwitchOnAnIdThePolicyDoesNotListStopsNobody() {
        try (CapturedLog log = new CapturedLog(ControlAcceptor.class)) {
            control("research-asistant", new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0));

            assertThat(log.messages(Level.WARN)).singleElement().satisfies(line -> assertThat(line)
                    .contains("research-asistant", "policy unlisted-1 lists no agent of that id"));
        }
        mediator.send(spend("still-acting"), T0.plusSeconds(1));
        assertThat(mediator.decision("still-acting").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldSayNothingMoreOfASwitchOnAListedAgentOrOnEveryAgent() {
        try (CapturedLog log = new CapturedLog(ControlAcceptor.class)) {
            control("research-assistant", new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0));
            control(Suspensions.ALL, new Control(ControlAction.SUSPEND, "incident 42", "alice", T0));

            assertThat(log.messages(Level.WARN)).isEmpty();
        }
    }

    private void control(String scope, Control control) {
        mediator.pipe(mediator.topics().controls(), scope, control.toJson(), control.at());
    }

    private static AgentIntent spend(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("research-assistant").setAction("llm.call")
                .setTarget("llm:large").setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
