package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent the policy let speak without a key is given one, typically once someone notices intents it did not send: only
 * what it signs speaks for it from then on. An escalation an unsigned intent opened before (anyone who could write
 * {@code agent.intents} could have written it) may be denied, not approved into an order to execute. An agent still
 * without a key is approved as before.
 */
class KeyGivenSinceTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "open-1"
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000000 }
              - id: seller
                capabilities: { actions: ["*"], targets: ["*"] }
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
    void shouldNotApproveAnUnsignedIntentsEscalationOnceTheAgentMustSign() {
        // Given an unsigned order in the buyer's name (whoever wrote it) and one of the seller's, both escalated
        mediator.send(large("po-1", "buyer"), T0);
        mediator.send(large("so-1", "seller"), T0);
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("po-1").getIntentKeyFingerprint()).isEqualTo("unsigned");

        // When open-2 gives the buyer a key, and the boss approves both
        mediator.publish(withBuyerKey("open-2", TestKeys.publicKey("buyer")), T0.plusSeconds(5));
        mediator.approve("po-1", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));
        mediator.approve("so-1", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then the buyer's order stays escalated, its case file saying why, while the seller's executes under open-2
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("po-1").getTimeline()).extracting(TimelineEntry::getDetail)
                .anyMatch(detail -> detail != null && detail.contains("its intent was not signed, as agent \"buyer\" needed no key then: "
                        + "policy open-2 gives it the key") && detail.contains("so it may be denied, not approved"));
        assertThat(mediator.decision("so-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(mediator.decision("so-1").getPolicyVersion()).isEqualTo("open-2");

        // And a denial of the buyer's order closes it
        mediator.approve("po-1", "boss", ApprovalDecision.DENY, T0.plusSeconds(20));
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(mediator.decision("po-1").getReasons()).singleElement()
                .satisfies(reason -> assertThat(reason.getCode()).isEqualTo(ReasonCode.DENIED));
    }

    @Test
    void shouldApproveAnUnsignedIntentsEscalationWhileTheAgentNeedNotSign() {
        // Given an unsigned order of the buyer's, escalated
        mediator.send(large("po-1", "buyer"), T0);

        // When open-2 changes something else, and the boss approves
        mediator.publish(withBuyerKey("open-2", null), T0.plusSeconds(5));
        mediator.approve("po-1", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then it executes
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(mediator.decision("po-1").getPolicyVersion()).isEqualTo("open-2");
    }

    private PolicyDocument withBuyerKey(String version, String publicKey) {
        PolicyDocument current = PolicyCodec.toAvro(mediator.policy());
        return PolicyDocument.newBuilder(current).setVersion(version)
                .setAgents(current.getAgents().stream().map(agent -> agent.getId().equals("buyer")
                        ? AgentPolicy.newBuilder(agent).setPublicKey(publicKey).build() : agent).toList())
                .build();
    }

    private static AgentIntent large(String id, String agentId) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId(agentId).setAction("purchase.order").setTarget("erp")
                .setCostMicros(0).setCommitmentMicros(9_000_000L).setConfidence(0.95).build();
    }
}
