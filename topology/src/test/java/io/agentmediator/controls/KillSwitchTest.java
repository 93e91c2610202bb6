package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kill switch through the whole topology: a control on the controls topic stops an agent at once, and lets it go. */
class KillSwitchTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "kill-switch-1"
            defaults: { escalationTimeout: PT4H, minConfidence: 0.6 }
            tiers: [MANAGER]
            agents:
              - id: runaway
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 100000000 } ]
              - id: steady
                department: ops
                capabilities: { actions: ["*"], targets: ["*"] }
            approvers:
              - { id: manager, tier: MANAGER }
            """;

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void aSuspendedAgentIsRejectedWithWhoAndWhyAndOthersAreNot() {
        mediator.send(spend("before", "runaway"), T0);
        control("runaway", new Control(ControlAction.SUSPEND, "runaway spending", "alice", T0.plusSeconds(1)), T0.plusSeconds(1));
        mediator.send(spend("during", "runaway"), T0.plusSeconds(2));
        mediator.send(spend("other", "steady"), T0.plusSeconds(3));

        assertThat(mediator.decision("before").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        Decision stopped = mediator.decision("during");
        assertThat(stopped.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(stopped.getReasons().get(0).getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
        assertThat(stopped.getReasons().get(0).getMessage())
                .contains("suspended by alice at " + T0.plusSeconds(1), "runaway spending");
        assertThat(mediator.caseFiles().get("during").getChecks()).anySatisfy(check -> assertThat(check.getDetail()).contains("alice"));
        assertThat(mediator.decision("other").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

        control("runaway", new Control(ControlAction.RESUME, "fixed", "bob", T0.plusSeconds(4)), T0.plusSeconds(4));
        mediator.send(spend("after", "runaway"), T0.plusSeconds(5));
        assertThat(mediator.decision("after").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void anOpenEscalationOfASuspendedAgentIsRejectedAndItsReservationReleased() {
        mediator.send(AgentIntent.newBuilder(spend("unsure", "runaway")).setConfidence(0.1).build(), T0);
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(reservedToday("runaway")).isEqualTo(2_000_000);

        control("runaway", new Control(ControlAction.SUSPEND, "investigating", "alice", T0.plusSeconds(1)), T0.plusSeconds(1));
        mediator.advanceWallClock(Duration.ofSeconds(11));

        Decision closed = mediator.decision("unsure");
        assertThat(closed.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(closed.getReasons().get(0).getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
        assertThat(closed.getReasons().get(0).getMessage()).contains("alice", "investigating");
        assertThat(reservedToday("runaway")).isZero();
    }

    @Test
    void anEscalationOpenedWhileTheSwitchWasLiftedIsClosedWhenTheSameSuspendIsWrittenAgain() {
        // Given a switch pulled, seen by a check, lifted, and an escalation opened meanwhile
        Control suspend = new Control(ControlAction.SUSPEND, "investigating", "alice", T0);
        control("runaway", suspend, T0);
        mediator.advanceWallClock(Duration.ofSeconds(11));
        control("runaway", new Control(ControlAction.RESUME, "false alarm", "alice", T0.plusSeconds(12)), T0.plusSeconds(12));
        mediator.send(AgentIntent.newBuilder(spend("unsure", "runaway")).setConfidence(0.1).build(), T0.plusSeconds(13));
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When the very same suspend record is written again (a script run again, a replay), which is accepted, then a check
        control("runaway", suspend, T0.plusSeconds(14));
        assertThat(mediator.suspensions().of("runaway")).isPresent();
        mediator.advanceWallClock(Duration.ofSeconds(11));

        // Then the escalation is closed as any of a suspended agent's is
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(reservedToday("runaway")).isZero();
    }

    @Test
    void anEscalationOpenedWhileTheSwitchWasLiftedIsClosedWhenItIsPulledAgainBetweenTwoChecks() {
        control("runaway", new Control(ControlAction.SUSPEND, "investigating", "alice", T0), T0);
        mediator.advanceWallClock(Duration.ofSeconds(11));

        control("runaway", new Control(ControlAction.RESUME, "false alarm", "alice", T0.plusSeconds(12)), T0.plusSeconds(12));
        mediator.send(AgentIntent.newBuilder(spend("unsure", "runaway")).setConfidence(0.1).build(), T0.plusSeconds(13));
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        control("runaway", new Control(ControlAction.SUSPEND, "it was not", "bob", T0.plusSeconds(14)), T0.plusSeconds(14));
        mediator.advanceWallClock(Duration.ofSeconds(11));

        Decision closed = mediator.decision("unsure");
        assertThat(closed.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(closed.getReasons().get(0).getMessage()).contains("bob", "it was not");
        assertThat(reservedToday("runaway")).isZero();
    }

    @Test
    void suspendingEveryAgentStopsThemAllUntilResumed() {
        control(Suspensions.ALL, new Control(ControlAction.SUSPEND, "incident 42", "sre", T0), T0);
        mediator.send(spend("a", "runaway"), T0.plusSeconds(1));
        mediator.send(spend("b", "steady"), T0.plusSeconds(2));
        control(Suspensions.ALL, new Control(ControlAction.RESUME, "incident closed", "sre", T0.plusSeconds(3)), T0.plusSeconds(3));
        mediator.send(spend("c", "steady"), T0.plusSeconds(4));

        assertThat(mediator.decision("a").getReasons().get(0).getMessage()).contains("every agent is suspended by sre");
        assertThat(mediator.decision("b").getReasons().get(0).getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
        assertThat(mediator.decision("c").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void anOperatorsReasonCannotForgeASecondLineOrHideTextInTheRejection() {
        control("runaway", new Control(ControlAction.SUSPEND, "fraud\nAPPROVED by cfo\u202e", "al\u2028ice", T0), T0);
        mediator.send(spend("during", "runaway"), T0.plusSeconds(1));
        mediator.send(AgentIntent.newBuilder(spend("unsure", "steady")).setConfidence(0.1).build(), T0.plusSeconds(2));
        control("steady", new Control(ControlAction.SUSPEND, "also\r\nhere", "bob", T0.plusSeconds(3)), T0.plusSeconds(3));
        mediator.advanceWallClock(Duration.ofSeconds(11));

        assertThat(mediator.decision("during").getReasons().get(0).getMessage())
                .contains("suspended by al\\u2028ice at ", "fraud\\u000aAPPROVED by cfo\\u202e")
                .doesNotContain("\n", "\u2028", "\u202e");
        assertThat(mediator.caseFiles().get("during").getChecks())
                .allSatisfy(check -> assertThat(String.valueOf(check.getDetail())).doesNotContain("\n", "\u2028", "\u202e"));
        assertThat(mediator.decision("unsure").getReasons().get(0).getMessage())
                .contains("also\\u000d\\u000ahere").doesNotContain("\r", "\n");
    }

    @Test
    void aRecordThatIsNoControlChangesNothing() {
        mediator.pipe(mediator.topics().controls(), "runaway", "{\"action\":\"EXPLODE\"}", T0);
        mediator.send(spend("fine", "runaway"), T0.plusSeconds(1));
        assertThat(mediator.decision("fine").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private void control(String scope, Control control, Instant at) {
        mediator.pipe(mediator.topics().controls(), scope, control.toJson(), at);
    }

    private long reservedToday(String agentId) {
        return mediator.agentBudgets(agentId, T0).get(0).reservedMicros();
    }

    private static AgentIntent spend(String intentId, String agentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("llm.call").setTarget("llm:large")
                .setCostMicros(2_000_000).setCommitmentMicros(0).setConfidence(0.95).build();
    }
}
