package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.partition.GateStores;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An intent may wait for its dependencies longer than the dedupe retention (P7D by default, a dependency timeout of P30D
 * here): its id is remembered while it waits, and from its decision once it is decided, not only from its arrival. A
 * retry, or another intent under its id, is DUPLICATE, and one id is never executed twice.
 */
class WaitingPastDedupeRetentionTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final Duration PAST_RETENTION = Duration.ofDays(8);
    private static final String POLICY = """
            version: "wait-1"
            defaults: { dependencyTimeout: P10D }
            agents:
              - id: planner
                capabilities: { actions: ["*"], targets: ["*"] }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldAnswerARetryOfAnIntentStillWaitingPastTheRetentionDuplicate() {
        // Given step-2 waiting for step-1
        mediator.send(step("step-2", List.of("step-1")), T0);

        // When the agent sends it again 8 days later
        mediator.send(step("step-2", List.of("step-1")), T0.plus(PAST_RETENTION));

        // Then the retry is DUPLICATE, and the first goes on waiting
        assertThat(outcomes("step-2")).containsExactly("REJECT DUPLICATE");
        assertThat(mediator.<Object>store(GateStores.WAITING_INTENTS).get("step-2")).isNotNull();
    }

    @Test
    void shouldNotExecuteAnotherIntentUnderTheIdOfOneWaitingPastTheRetention() {
        // Given step-2 waiting for step-1, and another step-2 with no dependency sent 8 days later
        mediator.send(step("step-2", List.of("step-1")), T0);
        mediator.send(step("step-2", List.of()), T0.plus(PAST_RETENTION));

        // When step-1 runs and completes, waking the first step-2
        mediator.send(step("step-1", List.of()), T0.plus(PAST_RETENTION).plusSeconds(60));
        mediator.report("step-1", OutcomeStatus.COMPLETED, null, T0.plus(PAST_RETENTION).plusSeconds(61));

        // Then the second was DUPLICATE, and step-2 is executed once
        assertThat(outcomes("step-2")).containsExactly("REJECT DUPLICATE", "EXECUTE");
    }

    @Test
    void shouldRememberTheIdOfAnIntentRejectedAfterWaitingFromItsRejection() {
        // Given step-2 waiting for step-1, which is executed 9 days later and fails
        mediator.send(step("step-2", List.of("step-1")), T0);
        Instant failed = T0.plus(PAST_RETENTION).plus(Duration.ofDays(1));
        mediator.send(step("step-1", List.of()), failed.minusSeconds(60));
        mediator.report("step-1", OutcomeStatus.FAILED, null, failed);
        assertThat(outcomes("step-2")).containsExactly("REJECT DEPENDENCY_FAILED");

        // When the agent sends step-2 again a day after it was rejected
        mediator.send(step("step-2", List.of("step-1")), failed.plus(Duration.ofDays(1)));

        // Then it is DUPLICATE: the rejection, not the arrival 10 days before, starts the retention
        assertThat(outcomes("step-2")).containsExactly("REJECT DEPENDENCY_FAILED", "REJECT DUPLICATE");
    }

    private List<String> outcomes(String intentId) {
        return mediator.decisions().stream().filter(d -> d.getIntentId().equals(intentId))
                .map(d -> d.getOutcome() + (d.getOutcome() == DecisionOutcome.REJECT ? " " + d.getReasons().get(0).getCode() : ""))
                .toList();
    }

    private static AgentIntent step(String intentId, List<String> dependsOn) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("planner").setAction("plan.make").setTarget("calendar")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.9).setDependsOn(dependsOn).build();
    }
}
