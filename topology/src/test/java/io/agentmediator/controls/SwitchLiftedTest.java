package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an agent had pending when its switch was pulled is not executed once the switch is lifted: an intent queued behind
 * its dependencies, an escalation open (even when the switch is lifted before the check that closes escalations runs).
 * What it sends after the switch is lifted is decided as usual.
 */
class SwitchLiftedTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "switch-lifted-1"
            defaults: { escalationTimeout: PT4H, minConfidence: 0.6, dependencyTimeout: PT24H }
            tiers: [MANAGER]
            agents:
              - id: runaway
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 100000000 } ]
              - id: loader
                capabilities: { actions: ["*"], targets: ["*"] }
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            operators:
              - { id: alice, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"), TestKeys.publicKey("executor-1"), TestKeys.publicKey("alice"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldRejectAnIntentQueuedBehindItsDependenciesWhenTheSwitchCameThoughItIsLiftedWhenTheyComplete() {
        // Given the runaway agent queued one intent behind the loader's task
        mediator.send(change("load", "loader", List.of()), T0);
        mediator.send(change("queued-drop-table", "runaway", List.of("load")), T0.plusSeconds(1));
        assertThat(mediator.caseFiles().get("queued-drop-table").getStage()).isEqualTo(CaseStage.WAITING);

        // When an operator stops it, and lifts the switch an hour later
        mediator.advanceWallClock(Duration.ofSeconds(2));
        signed(new Control(ControlAction.SUSPEND, "runaway: dropping tables", "alice", T0.plusSeconds(2)), T0.plusSeconds(2));
        mediator.advanceWallClock(Duration.ofSeconds(3600));
        signed(new Control(ControlAction.RESUME, "redeployed with a fix", "alice", T0.plusSeconds(3602)), T0.plusSeconds(3602));

        // And the loader's task completes afterwards, and the agent sends a new intent behind another
        mediator.report("load", OutcomeStatus.COMPLETED, null, T0.plusSeconds(3700));
        mediator.send(change("load-2", "loader", List.of()), T0.plusSeconds(3710));
        mediator.send(change("queued-after", "runaway", List.of("load-2")), T0.plusSeconds(3711));
        mediator.report("load-2", OutcomeStatus.COMPLETED, null, T0.plusSeconds(3720));

        // Then what it queued before the switch is rejected as the switch would have rejected it; what it queued since is not
        Decision queued = mediator.decision("queued-drop-table");
        assertThat(queued.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(queued.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
            assertThat(reason.getMessage()).contains("(a switch lifted since), after this intent arrived at " + T0.plusSeconds(1));
        });
        assertThat(mediator.decision("queued-after").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldCloseAnEscalationOpenWhenTheSwitchCameThoughTheSwitchIsLiftedBeforeTheNextCheck() {
        // Given an escalation of the runaway agent
        mediator.advanceWallClock(Duration.ofSeconds(11));
        mediator.send(AgentIntent.newBuilder(change("unsure", "runaway", List.of())).setConfidence(0.1).build(), T0.plusSeconds(11));
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When the switch is pulled and lifted again between two checks, and the escalation is approved after the next one
        mediator.advanceWallClock(Duration.ofSeconds(1));
        signed(new Control(ControlAction.SUSPEND, "runaway", "alice", T0.plusSeconds(12)), T0.plusSeconds(12));
        signed(new Control(ControlAction.RESUME, "false alarm?", "alice", T0.plusSeconds(15)), T0.plusSeconds(15));
        mediator.advanceWallClock(Duration.ofSeconds(11));
        mediator.approve("unsure", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(30));

        // Then the check closed it, saying why, and the approval executes nothing
        Decision closed = mediator.decision("unsure");
        assertThat(closed.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(closed.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
            assertThat(reason.getMessage()).contains("was suspended at").contains("(a switch lifted since) while this escalation was open");
        });
    }

    @Test
    void shouldNotApplyAnApprovalOfAnEscalationOpenWhenTheSwitchCameBeforeAnyCheck() {
        // Given an escalation of the runaway agent, and the switch pulled and lifted before any check ran
        mediator.send(AgentIntent.newBuilder(change("unsure", "runaway", List.of())).setConfidence(0.1).build(), T0);
        mediator.advanceWallClock(Duration.ofMillis(500));
        signed(new Control(ControlAction.SUSPEND, "runaway", "alice", T0.plusSeconds(1)), T0.plusSeconds(1));
        signed(new Control(ControlAction.RESUME, "false alarm?", "alice", T0.plusSeconds(2)), T0.plusSeconds(2));

        // When the manager approves it
        mediator.approve("unsure", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(3));

        // Then it is closed as the switch closes it, not executed
        assertThat(mediator.decision("unsure").getReasons()).extracting(reason -> reason.getCode())
                .containsExactly(ReasonCode.AGENT_SUSPENDED);
    }

    @Test
    void shouldRejectWhatArrivedBeforeASwitchAndIsReadAfterItIsLiftedAndDecideWhatArrivedSince() {
        // Given a switch pulled at 09:01:40 and lifted at 09:01:50, by every clock
        mediator.advanceWallClock(Duration.ofSeconds(100));
        signed(new Control(ControlAction.SUSPEND, "incident", "alice", T0.plusSeconds(100)), T0.plusSeconds(100));
        mediator.advanceWallClock(Duration.ofSeconds(10));
        signed(new Control(ControlAction.RESUME, "false alarm", "alice", T0.plusSeconds(110)), T0.plusSeconds(110));
        mediator.advanceWallClock(Duration.ofSeconds(10));

        // When the gate, behind a backlog, reads an intent the broker stamped at 09:01:30, then one stamped at 09:01:55
        mediator.send(change("sent-before", "runaway", List.of()), T0.plusSeconds(90));
        mediator.send(change("sent-after", "runaway", List.of()), T0.plusSeconds(115));

        // Then the first is what the agent had queued when it was stopped, the second what it sent once let go on
        assertThat(mediator.decision("sent-before").getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
            assertThat(reason.getMessage()).contains("(a switch lifted since), after this intent arrived at " + T0.plusSeconds(90));
        });
        assertThat(mediator.decision("sent-after").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldNotLetACopyOfTheSuspendARegularResumeLiftedStopWhatWasSentSince() {
        // Given alice's switch, and her resumption two minutes later (every clock right)
        signed(new Control(ControlAction.SUSPEND, "incident", "alice", T0), T0);
        mediator.advanceWallClock(Duration.ofSeconds(120));
        signed(new Control(ControlAction.RESUME, "fixed", "alice", T0.plusSeconds(120)), T0.plusSeconds(120));
        mediator.advanceWallClock(Duration.ofSeconds(10));
        mediator.send(AgentIntent.newBuilder(change("unsure", "runaway", List.of())).setConfidence(0.1).build(), T0.plusSeconds(130));

        // When a copy of her suspension is written again
        mediator.advanceWallClock(Duration.ofSeconds(10));
        signed(new Control(ControlAction.SUSPEND, "incident", "alice", T0), T0.plusSeconds(140));
        mediator.approve("unsure", "manager", ApprovalDecision.APPROVE, T0.plusSeconds(150));

        // Then it is stale, and the escalation opened since is approved
        assertThat(mediator.suspensions().refusals().total(ControlRefusal.Reason.STALE)).isEqualTo(1);
        assertThat(mediator.decision("unsure").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private void signed(Control control, Instant at) {
        mediator.pipe(mediator.topics().controls(), "runaway", control.toJson(),
                ControlSignatures.sign("runaway", control, TestKeys.privateKey("alice")), at);
    }

    private static AgentIntent change(String intentId, String agentId, List<String> dependsOn) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("db.change").setTarget("db")
                .setCostMicros(2_000_000).setCommitmentMicros(0).setConfidence(0.95).setDependsOn(dependsOn).build();
    }
}
