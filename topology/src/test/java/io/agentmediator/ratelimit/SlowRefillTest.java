package io.agentmediator.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.partition.GateStores;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A slow rate and an agent that retries more often than a millionth of a token is earned: each retry brings a fraction of a
 * micro-token, and what the retries earn together is still credited, so the token comes back when the rejections say.
 */
class SlowRefillTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final String POLICY = """
            version: "slow-refill-1"
            agents:
              - id: nightly
                capabilities: { actions: ["*"], targets: ["*"] }
                rateLimit: { capacity: 1, refillPerSecond: 0.000001 }
            """;

    @Test
    void retriesMoreOftenThanAMicroTokenIsEarnedStillRefillTheBucketAtItsRate() {
        try (PipelineDriver mediator = new PipelineDriver(POLICY, T0)) {
            // Given the agent's one token taken (a million seconds, one micro-token a second, to earn it again)
            mediator.send(intent("first"), T0);
            assertThat(mediator.decision("first").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

            // When it retries every 400 ms (each retry earns 0.4 of a micro-token) for 400 s
            Set<String> named = new HashSet<>();
            for (int i = 1; i <= 1_000; i++) {
                mediator.send(intent("retry-" + i), T0.plusMillis(400L * i));
                Decision decision = mediator.decision("retry-" + i);
                assertThat(decision.getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.RATE_LIMITED);
                named.add(decision.getReasons().get(0).getMessage().replace("retry-" + i, ""));
            }

            // Then the bucket holds the 400 micro-tokens the 400 s earned, and every refusal named the same time for the token
            TokenBucket bucket = (TokenBucket) mediator.store(GateStores.RATE_BUCKETS).get("nightly");
            assertThat(bucket.microTokens()).isEqualTo(400);
            assertThat(named).singleElement().asString().contains(T0.plusSeconds(1_000_000).toString());
        }
    }

    private static AgentIntent intent(String id) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("nightly").setAction("report.generate").setTarget("erp")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.9).build();
    }
}
