package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A supervisor agent answers only for its workers. Retired from {@code agents} while its approver entry stays, it answers
 * for them still, and for no one else: dropping the agent must not widen what it may approve to every agent of its tier.
 */
class DroppedSupervisorTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "sup-1"
            defaults: { escalationTimeout: PT4H }
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
              - id: seller
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
              - id: sup
                capabilities: { actions: ["*"], targets: ["*"] }
            approvers:
              - { id: sup, tier: MANAGER, publicKey: "%s", workers: ["buyer"] }
            """.formatted(TestKeys.publicKey("sup"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldKeepARetiredSupervisorToItsWorkers() {
        // Given escalations of the seller's and of the buyer's, and the supervisor refused the seller's: not its worker
        mediator.send(large("s-1", "seller"), T0);
        mediator.send(large("b-1", "buyer"), T0);
        mediator.approve("s-1", "sup", ApprovalDecision.APPROVE, T0.plusSeconds(1));
        assertThat(mediator.decision("s-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When sup-2 no longer lists the supervisor as an agent, its approver entry kept, and it approves both again
        PolicyDocument current = PolicyCodec.toAvro(mediator.policy());
        mediator.publish(PolicyDocument.newBuilder(current).setVersion("sup-2")
                .setAgents(current.getAgents().stream().filter(agent -> !agent.getId().equals("sup")).toList()).build(), T0.plusSeconds(2));
        mediator.approve("s-1", "sup", ApprovalDecision.APPROVE, T0.plusSeconds(3));
        mediator.approve("b-1", "sup", ApprovalDecision.APPROVE, T0.plusSeconds(3));

        // Then the seller's stays open, refused as before, and the buyer's executes
        assertThat(mediator.decision("s-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("s-1").getTimeline()).extracting(TimelineEntry::getDetail)
                .filteredOn(detail -> detail != null && detail.contains("NOT_A_WORKER")).hasSize(2)
                .last().asString().contains("refused NOT_A_WORKER: sup answers for its workers [buyer], and seller is not one");
        assertThat(mediator.decision("b-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(mediator.decision("b-1").getReasons().get(0).getMessage()).isEqualTo("approved by sup");
    }

    private static AgentIntent large(String id, String agentId) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId(agentId).setAction("po.create").setTarget("erp")
                .setCostMicros(0).setCommitmentMicros(5_000).setConfidence(0.9).build();
    }
}
