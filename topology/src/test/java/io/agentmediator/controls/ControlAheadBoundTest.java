package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A control may be dated at most five minutes after its record. Loosened, a RESUME from an operator whose clock runs twenty
 * minutes ahead would be accepted, and the SUSPEND of one whose clock is right refused STALE while the agent spends on.
 */
class ControlAheadBoundTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "ahead-1"
            tiers: [MANAGER]
            agents:
              - { id: runaway, capabilities: { actions: ["*"], targets: ["*"] } }
            operators:
              - { id: alice, publicKey: "%s" }
              - { id: bob, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("alice"), TestKeys.publicKey("bob"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldRefuseAResumeDatedTwentyMinutesAheadAndLetTheSwitchBePulledAgain() {
        // Given alice's clock twenty minutes ahead when she resumes the agent
        signed(new Control(ControlAction.RESUME, "fine", "alice", T0.plus(Duration.ofMinutes(20))), "alice", T0);

        // Then it is refused FUTURE: past MAX_AHEAD
        assertThat(mediator.suspensions().refusals().total(ControlRefusal.Reason.FUTURE)).isEqualTo(1);

        // And bob, whose clock is right, can still pull the switch two minutes later
        signed(new Control(ControlAction.SUSPEND, "runaway spending", "bob", T0.plus(Duration.ofMinutes(2))), "bob",
                T0.plus(Duration.ofMinutes(2)));
        mediator.send(spend("probe"), T0.plus(Duration.ofMinutes(3)));
        assertThat(mediator.decision("probe").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
    }

    @Test
    void shouldAcceptAControlDatedExactlyFiveMinutesAheadAndRefuseOneAMillisecondLater() {
        // Given
        signed(new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0.plus(Duration.ofMinutes(5)).plusMillis(1)), "alice", T0);
        signed(new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0.plus(Duration.ofMinutes(5))), "alice", T0);

        // Then the first is refused FUTURE, the second in force
        assertThat(mediator.suspensions().refusals().total(ControlRefusal.Reason.FUTURE)).isEqualTo(1);
        mediator.send(spend("probe"), T0.plus(Duration.ofMinutes(6)));
        assertThat(mediator.decision("probe").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
    }

    private void signed(Control control, String signer, Instant at) {
        mediator.pipe(mediator.topics().controls(), "runaway", control.toJson(),
                ControlSignatures.sign("runaway", control, TestKeys.privateKey(signer)), at);
    }

    private static AgentIntent spend(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("runaway").setAction("llm.call").setTarget("llm:large")
                .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
