package io.agentmediator.gate;

import static io.agentmediator.gate.GateFixture.intent;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long and which way the dedupe memory looks: a refused intent retried late in `dedupe.retention` (P7D), and a copy
 * stamped before the original, are DUPLICATE. Retries the other tests make fall a day after, or past the retention while
 * the case is still kept; a memory cut to half, or looking only back, passed them.
 */
class LateRetryDedupeTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private final GateFixture gate = new GateFixture(T0);

    @AfterEach
    void tearDown() {
        gate.close();
    }

    @Test
    void shouldAnswerARateLimitedIntentRetriedSixDaysLaterDuplicate() {
        // Given finance-analyst's burst of 3 spent at T0, and a fourth intent refused RATE_LIMITED
        for (int i = 0; i < 3; i++) {
            gate.send(intent("burst-" + i).build(), T0);
        }
        assertThat(gate.decisions()).extracting(Decision::getOutcome).containsOnly(DecisionOutcome.EXECUTE).hasSize(3);
        gate.send(intent("late-retry-1").build(), T0);
        assertThat(gate.decision().getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.RATE_LIMITED);

        // And the agent's other work goes on meanwhile
        gate.send(intent("meanwhile-1").build(), T0.plus(Duration.ofDays(5)));
        assertThat(gate.decision().getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

        // When the agent retries the very same intent six days later, within dedupe.retention
        gate.send(intent("late-retry-1").build(), T0.plus(Duration.ofDays(6)));

        // Then the retry changes nothing
        Decision retry = gate.decision();
        assertThat(retry.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(retry.getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.DUPLICATE);
    }

    @Test
    void shouldAnswerARetryStampedBeforeTheOriginalDuplicate() {
        // Given an intent refused RATE_LIMITED at T0 + 1 h
        for (int i = 0; i < 3; i++) {
            gate.send(intent("early-burst-" + i).build(), T0.plusSeconds(3_600));
        }
        assertThat(gate.decisions()).extracting(Decision::getOutcome).containsOnly(DecisionOutcome.EXECUTE).hasSize(3);
        gate.send(intent("early-retry-1").build(), T0.plusSeconds(3_600));
        assertThat(gate.decision().getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.RATE_LIMITED);

        // When a copy stamped a minute earlier (out of order, within dedupe.retention) arrives
        gate.send(intent("early-retry-1").build(), T0.plusSeconds(3_540));

        // Then it is a duplicate too
        assertThat(gate.decision().getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.DUPLICATE);
    }
}
