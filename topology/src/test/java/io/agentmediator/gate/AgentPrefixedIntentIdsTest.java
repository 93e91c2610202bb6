package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.AuditKeys;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code defaults.intentIdPrefix: AGENT} through the real topology: an agent of the policy, signing with its own key, can no
 * longer decide an id another agent is about to use, nor complete what waits on it. The test driver is one partition, so
 * the two agents share one, where the first decision of an id would otherwise make the owner's own intent a DUPLICATE.
 * Each test also runs under {@code NONE}, where the theft succeeds, so that a setting doing nothing fails it.
 */
class AgentPrefixedIntentIdsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void shouldNotLetAnotherAgentSpendAnAgentsIdAndFileTheRefusalUnderWhereItWasRead() {
        try (PipelineDriver mediator = new PipelineDriver(policy("AGENT"), T0)) {
            // Given bob, signing with his own key, sends an intent under an id of alice's
            mediator.sendSigned(intent("alice:x", "bob"), T0);
            Reason refused = onlyReason(mediator.decision("alice:x"));

            // When alice then sends her intent under it
            mediator.sendSigned(intent("alice:x", "alice"), T0.plusSeconds(1));

            // Then bob's is refused MALFORMED naming the prefix his ids need, alice's is decided as any first intent is, and the
            // case file under the id is alice's; bob's refusal is on the record under where it was read, not under her id
            assertThat(refused.getCode()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(refused.getMessage()).contains("intentId must start with \"bob:\"", "defaults.intentIdPrefix AGENT");
            assertThat(mediator.decision("alice:x").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            Map<String, AuditRecord> caseFiles = mediator.caseFiles();
            assertThat(caseFiles.get("alice:x").getAgentId()).isEqualTo("alice");
            // (bob's intent is the first record of the one partition)
            assertThat(caseFiles).hasEntrySatisfying(AuditKeys.untrusted(mediator.topics().intents().name() + "-0@0", "alice:x"),
                    refusal -> assertThat(refusal.getAgentId()).isEqualTo("bob"));
        }
    }

    @Test
    void shouldLetAnAgentSpendAnotherAgentsIdWhenIdsAreOneNamespace() {
        try (PipelineDriver mediator = new PipelineDriver(policy("NONE"), T0)) {
            mediator.sendSigned(intent("alice:x", "bob"), T0);
            mediator.sendSigned(intent("alice:x", "alice"), T0.plusSeconds(1));

            // Bob's intent took the id: alice's is a duplicate, and the case file under her id is bob's
            assertThat(onlyReason(mediator.decision("alice:x")).getCode()).isEqualTo(ReasonCode.DUPLICATE);
            assertThat(mediator.caseFiles().get("alice:x").getAgentId()).isEqualTo("bob");
        }
    }

    @Test
    void shouldDecideAnAgentsOwnPrefixedIdsAndRefuseOnesWithoutOrWithNothingAfterThePrefix() {
        try (PipelineDriver mediator = new PipelineDriver(policy("AGENT"), T0)) {
            mediator.sendSigned(intent("bob:y", "bob"), T0);
            mediator.sendSigned(intent("y", "bob"), T0);
            mediator.sendSigned(intent("bob:", "bob"), T0);

            assertThat(mediator.decision("bob:y").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(onlyReason(mediator.decision("y")).getCode()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(onlyReason(mediator.decision("bob:")).getCode()).isEqualTo(ReasonCode.MALFORMED);
        }
    }

    @Test
    void shouldCompleteADependencyOnlyThroughTheIntentOfTheAgentItsIdNames() {
        try (PipelineDriver mediator = new PipelineDriver(policy("AGENT"), T0)) {
            // Given alice's intent waiting for alice:first, and bob sending an intent under that id first
            mediator.sendSigned(intent("alice:second", "alice", "alice:first"), T0);
            mediator.sendSigned(intent("alice:first", "bob"), T0.plusSeconds(1));

            // Then bob's intent is refused, and nothing of his can be executed and reported to complete the dependency
            assertThat(onlyReason(mediator.decision("alice:first")).getCode()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(mediator.decision("alice:second")).isNull();

            // When alice's own intent under it executes and completes
            mediator.sendSigned(intent("alice:first", "alice"), T0.plusSeconds(2));
            assertThat(mediator.decision("alice:first").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            mediator.report("alice:first", OutcomeStatus.COMPLETED, null, T0.plusSeconds(60));

            // Then the intent waiting for it is decided
            assertThat(mediator.decision("alice:second").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        }
    }

    @Test
    void shouldLetAnotherAgentsIntentCompleteADependencyWhenIdsAreOneNamespace() {
        try (PipelineDriver mediator = new PipelineDriver(policy("NONE"), T0)) {
            mediator.sendSigned(intent("alice:second", "alice", "alice:first"), T0);
            mediator.sendSigned(intent("alice:first", "bob"), T0.plusSeconds(1));
            mediator.report("alice:first", OutcomeStatus.COMPLETED, null, T0.plusSeconds(60));

            // Bob's intent under the id alice's waited for completed it
            Decision first = mediator.decision("alice:first");
            assertThat(first.getAgentId()).isEqualTo("bob");
            assertThat(mediator.decision("alice:second").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        }
    }

    private static String policy(String intentIdPrefix) {
        return """
                version: "prefixed-1"
                defaults: { intentIdPrefix: %s }
                agents:
                  - { id: alice, publicKey: "%s", capabilities: { actions: ["*"], targets: ["*"] } }
                  - { id: bob, publicKey: "%s", capabilities: { actions: ["*"], targets: ["*"] } }
                executors:
                  - { id: executor-1, agents: ["*"], publicKey: "%s" }
                """.formatted(intentIdPrefix, TestKeys.publicKey("alice"), TestKeys.publicKey("bob"), TestKeys.publicKey("executor-1"));
    }

    private static AgentIntent intent(String intentId, String agentId, String... dependsOn) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("report.generate").setTarget("crm")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.95).setDependsOn(List.of(dependsOn)).build();
    }

    private static Reason onlyReason(Decision decision) {
        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(decision.getReasons()).hasSize(1);
        return decision.getReasons().get(0);
    }
}
