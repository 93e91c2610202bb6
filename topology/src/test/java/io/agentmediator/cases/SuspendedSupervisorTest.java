package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Control;
import io.agentmediator.controls.ControlAction;
import io.agentmediator.controls.ControlSignatures;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A supervisor agent (an agent listed as an approver, signing with its agent key) answers nothing while it is stopped:
 * approving is one of its actions, so its kill switch, or the policy suspending it, stops that too. Its workers'
 * escalations stay open for the other approvers.
 */
class SuspendedSupervisorTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "sup-1"
            defaults: { escalationTimeout: PT4H }
            tiers: [MANAGER, BOARD]
            agents:
              - id: buyer
                department: procurement
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 5000000000 }
              - id: supervisor
                department: procurement
                suspended: %s
                publicKey: "%s"
                capabilities: { actions: ["review.*"], targets: ["*"] }
            approvers:
              - { id: supervisor, tier: MANAGER, workers: [buyer] }
              - { id: carol, tier: MANAGER, publicKey: "%s" }
            operators:
              - { id: alice, publicKey: "%s" }
            """;

    private PipelineDriver mediator;

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldApplyNoAnswerOfASupervisorAgentWhileItsKillSwitchIsInForce() {
        // Given a worker's escalation, and its supervisor agent stopped by an operator
        mediator = new PipelineDriver(policy(false), T0);
        mediator.send(order("po-1"), T0);
        mediator.send(order("po-2"), T0);
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        control(ControlAction.SUSPEND, T0.plusSeconds(10));

        // When the stopped supervisor approves one and denies the other
        mediator.approve("po-1", "supervisor", ApprovalDecision.APPROVE, T0.plusSeconds(20));
        mediator.approve("po-2", "supervisor", ApprovalDecision.DENY, T0.plusSeconds(20));

        // Then neither is applied, each case file says why, and both stay open for another approver
        for (String id : new String[] {"po-1", "po-2"}) {
            assertThat(mediator.decision(id).getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
            assertThat(mediator.caseFiles().get(id).getTimeline()).extracting(TimelineEntry::getDetail)
                    .anyMatch(detail -> detail.contains("supervisor agent supervisor is suspended by alice")
                            && detail.contains("the escalation stays open"));
        }
        mediator.approve("po-2", "carol", ApprovalDecision.APPROVE, T0.plusSeconds(30));
        assertThat(mediator.decision("po-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

        // And once the switch is lifted, the supervisor's answer counts again
        control(ControlAction.RESUME, T0.plusSeconds(40));
        mediator.approve("po-1", "supervisor", ApprovalDecision.APPROVE, T0.plusSeconds(50));
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldApplyNoAnswerOfASupervisorAgentThePolicySuspends() {
        mediator = new PipelineDriver(policy(true), T0);
        mediator.send(order("po-3"), T0);

        mediator.approve("po-3", "supervisor", ApprovalDecision.APPROVE, T0.plusSeconds(20));

        assertThat(mediator.decision("po-3").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("po-3").getTimeline()).extracting(TimelineEntry::getDetail)
                .anyMatch(detail -> detail.contains("supervisor agent supervisor is suspended in policy sup-1"));
    }

    private static String policy(boolean supervisorSuspended) {
        return POLICY.formatted(supervisorSuspended, TestKeys.publicKey("supervisor"), TestKeys.publicKey("carol"), TestKeys.publicKey("alice"));
    }

    private void control(ControlAction action, Instant at) {
        Control control = new Control(action, "supervisor approving everything", "alice", at);
        mediator.pipe(mediator.topics().controls(), "supervisor", control.toJson(),
                ControlSignatures.sign("supervisor", control, TestKeys.privateKey("alice")), at);
    }

    private static AgentIntent order(String id) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("buyer").setAction("purchase.order").setTarget("erp")
                .setCostMicros(100_000).setCommitmentMicros(9_000_000_000L).setConfidence(0.95).build();
    }
}
