package io.agentmediator.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Agents come and go (one per workflow, per tenant, per rotation): the rate bucket of an agent the policy stops naming is
 * forgotten, in a store that is kept in memory and restored whole at every start, while the agents it still limits keep
 * theirs, and their limit with it.
 */
class RemovedAgentBucketsTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final int TEMPORARY = 2_000;

    @Test
    void bucketsOfAgentsThePolicyNoLongerNamesAreForgotten() {
        StringBuilder v1 = new StringBuilder("version: \"churn-1\"\nagents:\n" + agent("keeper"));
        for (int i = 0; i < TEMPORARY; i++) {
            v1.append(agent("temp-" + i));
        }
        try (PipelineDriver mediator = new PipelineDriver(v1.toString(), T0)) {
            // Given 2,000 agents that each sent one intent
            for (int i = 0; i < TEMPORARY; i++) {
                mediator.send(intent("temp-" + i, "t-" + i), T0.plusMillis(i));
            }
            // When a policy that names only "keeper" replaces theirs, and two months pass with keeper's traffic
            String v2 = "version: \"churn-2\"\nagents:\n" + agent("keeper");
            mediator.publish(PolicyCodec.toAvro(PolicyParser.parse("v2.yaml", v2).policy()), T0.plusSeconds(60));
            Instant at = T0.plusSeconds(120);
            for (int day = 0; day < 60; day++) {
                mediator.send(intent("keeper", "k-" + day), at);
                mediator.advanceWallClock(Duration.ofDays(1));
                at = at.plus(Duration.ofDays(1));
            }
            // Then only the agent the policy names has a bucket, and keeper's five tokens a burst still hold
            assertThat(mediator.entries(GateStores.RATE_BUCKETS)).as("rate-buckets entries").isEqualTo(1);
            assertThat(mediator.store(GateStores.RATE_BUCKETS).get("keeper")).isNotNull();
            for (int burst = 0; burst < 5; burst++) {
                mediator.send(intent("keeper", "burst-" + burst), at);
            }
            mediator.advanceWallClock(Duration.ofDays(1));
            mediator.send(intent("keeper", "one-too-many"), at);
            assertThat(mediator.decision("burst-4").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(mediator.decision("one-too-many").getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.RATE_LIMITED);
        }
    }

    private static String agent(String id) {
        return "  - id: " + id + "\n    capabilities: { actions: [\"*\"], targets: [\"*\"] }\n"
                + "    rateLimit: { capacity: 5, refillPerSecond: 1 }\n";
    }

    private static AgentIntent intent(String agent, String id) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId(agent).setAction("report.generate").setTarget("erp")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.9).build();
    }
}
