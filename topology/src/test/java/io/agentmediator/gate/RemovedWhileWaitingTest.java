package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An intent waiting for its dependencies whose agent a later policy no longer names: woken, it is rejected, and that
 * rejection closes the case file it was filed under when it began to wait. Before, the rejection was filed under where
 * the intent was read, as for an agent never known, and the case file under its id said WAITING for good.
 */
class RemovedWhileWaitingTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "removed-1"
            defaults: { dependencyTimeout: PT1H }
            agents:
              - id: planner
                capabilities: { actions: ["*"], targets: ["*"] }
              - id: worker
                capabilities: { actions: ["*"], targets: ["*"] }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldCloseTheWaitingCaseFileOfAnIntentWhoseAgentWasRemovedMeanwhile() {
        // Given the planner's intent waiting for the worker's task
        mediator.send(intent("task", "worker", List.of()), T0);
        mediator.send(intent("plan", "planner", List.of("task")), T0.plusSeconds(1));
        assertThat(mediator.caseFiles().get("plan").getStage()).isEqualTo(CaseStage.WAITING);

        // When a policy without the planner is published, and then the task completes
        PolicyDocument current = PolicyCodec.toAvro(mediator.policy());
        PolicyDocument withoutPlanner = PolicyDocument.newBuilder(current).setVersion("removed-2")
                .setAgents(current.getAgents().stream().filter(agent -> !agent.getId().equals("planner")).toList()).build();
        mediator.publish(withoutPlanner, T0.plusSeconds(2));
        mediator.report("task", OutcomeStatus.COMPLETED, null, T0.plusSeconds(3));

        // Then the plan is rejected, and its own case file says so
        assertThat(mediator.decision("plan").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        AuditRecord caseFile = mediator.caseFiles().get("plan");
        assertThat(caseFile.getStage()).isNotEqualTo(CaseStage.WAITING);
        assertThat(caseFile.getDecision().getOutcome()).isEqualTo(DecisionOutcome.REJECT);
    }

    private static AgentIntent intent(String intentId, String agentId, List<String> dependsOn) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("plan.make").setTarget("calendar")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.9).setDependsOn(dependsOn).build();
    }
}
