package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.signing.Ed25519Keys;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An agent's key is rotated by publishing a policy with the new one, typically because the old one leaked: its intents
 * signed with the old key are refused from then on, and an escalation such an intent opened before may be denied, not
 * approved into an order to execute. An agent whose key did not change is approved as before.
 */
class RotatedKeyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "keys-1"
            tiers: [MANAGER]
            agents:
              - id: buyer
                publicKey: "%s"
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000000 }
              - id: seller
                publicKey: "%s"
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000000 }
            approvers:
              - { id: boss, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("buyer"), TestKeys.publicKey("seller"), TestKeys.publicKey("boss"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldNotApproveAnEscalationWhoseIntentWasSignedWithAKeyRotatedOutSince() {
        // Given an order of the buyer's (signed with its key, say by whoever stole it) and one of the seller's, both escalated
        mediator.sendSigned(large("po-1", "buyer"), T0);
        mediator.sendSigned(large("so-1", "seller"), T0);
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("po-1").getIntentKeyFingerprint())
                .isEqualTo(Ed25519Keys.fingerprint(Ed25519Keys.publicKeyFromBase64(TestKeys.publicKey("buyer"))));

        // When keys-2 gives the buyer a new key, and the boss approves both
        mediator.publish(withBuyerKey("keys-2", TestKeys.publicKey("buyer-rotated")), T0.plusSeconds(5));
        mediator.approve("po-1", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));
        mediator.approve("so-1", "boss", ApprovalDecision.APPROVE, T0.plusSeconds(10));

        // Then the buyer's order stays escalated, its case file saying why, while the seller's executes under keys-2
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.caseFiles().get("po-1").getTimeline()).extracting(TimelineEntry::getDetail)
                .anyMatch(detail -> detail != null && detail.contains("is no longer the agent's: policy keys-2 gives it"));
        Decision sale = mediator.decision("so-1");
        assertThat(sale.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(sale.getPolicyVersion()).isEqualTo("keys-2");

        // And a denial of the buyer's order closes it
        mediator.approve("po-1", "boss", ApprovalDecision.DENY, T0.plusSeconds(20));
        assertThat(mediator.decision("po-1").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(mediator.decision("po-1").getReasons()).singleElement()
                .satisfies(reason -> assertThat(reason.getCode()).isEqualTo(ReasonCode.DENIED));
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
