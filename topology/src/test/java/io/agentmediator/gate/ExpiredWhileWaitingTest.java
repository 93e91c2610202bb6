package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.partition.GateStores;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An intent waiting for its dependencies past its {@code expiresAt}, or past the end of a window it claims, can no longer
 * go ahead whatever they do: it is rejected EXPIRED then, by the same check that gives up at the dependency timeout,
 * rather than at the timeout, holding one of the agent's waiting places until then. One that has not expired waits on.
 */
class ExpiredWhileWaitingTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "wait-1"
            defaults: { dependencyTimeout: PT1H }
            agents:
              - id: planner
                capabilities: { actions: ["*"], targets: ["*"] }
            resources:
              - { pattern: "room-*", capacity: 1 }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldRejectAWaitingIntentOnceItsExpiresAtPasses() {
        // Given an intent that may start only in the next 10 minutes, waiting for a dependency nobody sends, and one that
        // may start at any time
        mediator.send(step("s-1", T0.plusSeconds(600), List.of()), T0);
        mediator.send(step("s-2", null, List.of()), T0);
        assertThat(timeline("s-1")).anyMatch(detail -> detail.contains("gives up at " + T0.plusSeconds(600)));

        // When 11 minutes pass
        mediator.advanceWallClock(Duration.ofMinutes(11));

        // Then the first is rejected EXPIRED, saying why, and no longer waits; the second waits on
        Decision expired = mediator.decision("s-1");
        assertThat(expired.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(expired.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.EXPIRED);
            assertThat(reason.getMessage()).isEqualTo("its expiresAt, " + T0.plusSeconds(600) + ", passed while it waited since " + T0
                    + " for never-sent to complete");
        });
        assertThat(mediator.<Object>store(GateStores.WAITING_INTENTS).get("s-1")).isNull();
        assertThat(mediator.decision("s-2")).isNull();

        // And the second gives up at the dependency timeout, as before
        mediator.advanceWallClock(Duration.ofMinutes(50));
        assertThat(mediator.decision("s-2").getReasons().get(0).getCode()).isEqualTo(ReasonCode.DEPENDENCY_UNMET);
    }

    @Test
    void shouldRejectAWaitingIntentOnceAWindowItClaimsEnds() {
        // Given a booking of the next five minutes, waiting for a dependency nobody sends
        mediator.send(step("s-3", null, List.of(ResourceClaim.newBuilder().setResourceId("room-1").setQuantity(1)
                .setFrom(T0.plusSeconds(60)).setUntil(T0.plusSeconds(300)).build())), T0);

        // When six minutes pass
        mediator.advanceWallClock(Duration.ofMinutes(6));

        // Then it is rejected EXPIRED, naming the claim
        assertThat(mediator.decision("s-3").getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.EXPIRED);
            assertThat(reason.getMessage()).startsWith("the end of its claim on room-1, " + T0.plusSeconds(300) + ", passed while it waited");
        });
    }

    private List<String> timeline(String intentId) {
        return mediator.caseFiles().get(intentId).getTimeline().stream().map(TimelineEntry::getDetail).toList();
    }

    private static AgentIntent step(String intentId, Instant expiresAt, List<ResourceClaim> claims) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("planner").setAction("plan.make").setTarget("calendar")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.9).setExpiresAt(expiresAt).setClaims(claims)
                .setDependsOn(List.of("never-sent")).build();
    }
}
