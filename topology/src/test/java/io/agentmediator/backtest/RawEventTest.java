package io.agentmediator.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.TestKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A signed approval captured from a cluster, replayed byte for byte as a raw line: its signature still
 * verifies though its schema id is the capturing registry's, and a byte changed on the way does not.
 */
class RawEventTest {

    /** The id the capturing cluster's registry gave Approval: not one the backtest would give it. */
    private static final int CAPTURED_SCHEMA_ID = 42;
    private static final Policy POLICY = PolicyParser.parse("raw.yaml", """
            version: "raw-1"
            tiers: [MANAGER]
            agents:
              - { id: buyer, owner: olga, capabilities: { actions: ["*"], targets: ["*"] }, authority: { maxCommitmentMicros: 1000 } }
            approvers:
              - { id: maria, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("maria"))).policy();
    private static final String ESCALATED = """
            {"type":"intent","at":"2026-11-23T09:00:00Z","intent":{"intentId":"po-1","agentId":"buyer","action":"po.create",\
            "target":"erp","costMicros":0,"commitmentMicros":5000,"confidence":0.9}}""";

    @Test
    void shouldReplayACapturedSignedApprovalWhoseSchemaIdIsTheCapturingRegistrys() {
        // Given maria's approval as it was produced on the cluster, signed over its exact bytes
        byte[] value = CapturedRecords.approval(CAPTURED_SCHEMA_ID, new Approval("po-1", "maria", ApprovalDecision.APPROVE, "ok", null, null));
        assertThat(value[4]).isEqualTo((byte) CAPTURED_SCHEMA_ID);

        // When the escalation and the raw approval are played
        List<Decision> decisions = run(ESCALATED, raw(value, signature(value)));

        // Then the approval counted
        assertThat(decisions).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
        assertThat(decisions.get(1).getReasons().get(0).getCode()).isEqualTo(ReasonCode.APPROVED);
    }

    @Test
    void shouldRefuseACapturedApprovalChangedAfterItWasSigned() {
        // Given the same approval, its answer's bytes changed after signing
        byte[] value = CapturedRecords.approval(CAPTURED_SCHEMA_ID, new Approval("po-1", "maria", ApprovalDecision.APPROVE, "ok", null, null));
        String signature = signature(value);
        value[value.length - 1] ^= 1;

        // When / Then the escalation stays open
        assertThat(run(ESCALATED, raw(value, signature))).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE);
    }

    @Test
    void shouldNameTheLineWhoseSchemaIdClashesWithAnotherCapturedOne() {
        // Given an approval and an outcome captured from two registries that both numbered their schema 42
        byte[] approval = CapturedRecords.approval(CAPTURED_SCHEMA_ID, new Approval("po-1", "maria", ApprovalDecision.APPROVE, "ok", null, null));
        String outcome = raw(approval, signature(approval)).replace("\"approvals\"", "\"outcomes\"");

        // When / Then
        assertThatThrownBy(() -> run(ESCALATED, raw(approval, signature(approval)), outcome))
                .isInstanceOf(BacktestInputException.class)
                .hasMessageContaining("line 3").hasMessageContaining("schema id 42");
    }

    private static List<Decision> run(String... lines) {
        List<BacktestEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            events.add(EventLineParser.parse(i + 1, lines[i]));
        }
        return Backtest.run(POLICY, events);
    }

    private static String signature(byte[] value) {
        return CapturedRecords.signature(value, TestKeys.privateKey("maria"));
    }

    private static String raw(byte[] value, String signature) {
        return CapturedRecords.raw("2026-11-23T09:01:00Z", "approvals", "po-1", value, signature, "maria");
    }
}
