package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Capabilities;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An approval executes an escalated intent under the policy in force, whose version the decision carries: one that has
 * since taken the action away from the agent may not see it executed. The approval is written into the case file as not
 * applied, the escalation stays open, and a denial still closes it.
 */
class RevokedCapabilityTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "caps-1"
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["wire.*", "invoice.*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000000 }
            approvers:
              - { id: boss, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("boss"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldNotExecuteAnEscalatedActionThePolicyInForceNoLongerAllows() {
        // Given an escalated wire and an escalated invoice, then caps-2, which takes wire.* away from the buyer
        mediator.send(large("w-1", "wire.transfer"), T0);
        mediator.send(large("inv-1", "invoice.create"), T0);
        assertThat(mediator.decision("w-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        mediator.publish(withActions("caps-2", "invoice.*"), T0.plusSeconds(5));

        // When the boss approves both
        mediator.approve("w-1", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));
        mediator.approve("inv-1", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then the wire stays escalated, its case file saying why, while the invoice, still allowed, executes under caps-2
        assertThat(mediator.decision("w-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("w-1").getTimeline()).extracting(TimelineEntry::getDetail)
                .anyMatch(detail -> detail.contains("policy caps-2 no longer allows it (ACTION_NOT_ALLOWED"));
        Decision invoice = mediator.decision("inv-1");
        assertThat(invoice.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(invoice.getPolicyVersion()).isEqualTo("caps-2");

        // And a denial of the wire closes it
        mediator.approve("w-1", "boss", ApprovalDecision.DENY, T0.plusSeconds(20));
        assertThat(mediator.decision("w-1").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(mediator.decision("w-1").getReasons()).singleElement().satisfies(reason -> assertThat(reason.getCode()).isEqualTo(ReasonCode.DENIED));
    }

    @Test
    void shouldNotExecuteAnEscalatedIntentWhoseIdThePolicyInForceNowRequiresToNameItsAgent() {
        // Given an escalated wire under an id that does not name the buyer, and one that does; then caps-2, which requires it
        mediator.send(large("vendor-7", "wire.transfer"), T0);
        mediator.send(large("buyer:w-2", "wire.transfer"), T0);
        PolicyDocument prefixed = PolicyDocument.newBuilder(PolicyCodec.toAvro(mediator.policy())).setVersion("caps-2").build();
        prefixed.getDefaults().setIntentIdPrefix("AGENT");
        mediator.publish(prefixed, T0.plusSeconds(5));

        // When the boss approves both
        mediator.approve("vendor-7", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));
        mediator.approve("buyer:w-2", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then the first stays escalated, as the gate would now refuse its id (its completion would finish a task under a name
        // that is not its agent's); the second executes under caps-2
        assertThat(mediator.decision("vendor-7").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("vendor-7").getTimeline()).extracting(TimelineEntry::getDetail)
                .anyMatch(detail -> detail.contains("policy caps-2 no longer allows it (MALFORMED"));
        assertThat(mediator.decision("buyer:w-2").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private PolicyDocument withActions(String version, String... actions) {
        PolicyDocument current = PolicyCodec.toAvro(mediator.policy());
        AgentPolicy buyer = current.getAgents().get(0);
        return PolicyDocument.newBuilder(current).setVersion(version)
                .setAgents(List.of(AgentPolicy.newBuilder(buyer)
                        .setCapabilities(Capabilities.newBuilder(buyer.getCapabilities()).setActions(List.of(actions)).build()).build()))
                .build();
    }

    private static AgentIntent large(String id, String action) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("buyer").setAction(action).setTarget("bank")
                .setCostMicros(0).setCommitmentMicros(9_000_000L).setConfidence(0.95).build();
    }
}
