package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.budget.Admission;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intent ids are deduplicated in each agent's partition, so an intent can reach the shared pool under an
 * id another agent's intent holds a reservation with there. The pool refuses it (PoolsAndDependenciesTest);
 * here, on the agent's partition, the refusal rejects the intent as a duplicate id, releases its own
 * reservation and asks the pool to release nothing, since what the pool holds under that id is not its.
 */
class PoolIdInUseTest {

    private static final Instant T0 = ParkedClaims.T0;

    @TempDir File stateDir;

    @Test
    void shouldRejectAnIntentWhoseIdThePoolHoldsForAnotherAgentAsADuplicateAndGiveBackOnlyItsOwnReservation() {
        // Given pooled's intent i-1 waiting for its claims, 2.00 reserved in pooled's own budget
        ParkedClaims parked = new ParkedClaims(stateDir, new CurrentPolicy(ParkedClaims.policy("id-in-use-1", false)), new Suspensions(),
                Duration.ofMinutes(5), T0);
        parked.send(ParkedClaims.roomFor("i-1", "pooled", 2_000_000), T0);
        assertThat(parked.reserved("pooled", T0)).isEqualTo(2_000_000);
        parked.context.resetForwards();

        // When the pool answers that i-1 already holds a reservation there, for another agent's intent
        String message = "pool shared: " + new Admission.AlreadyReserved("i-1", "elsewhere").message();
        parked.answer(LedgerReply.newBuilder().setKind(LedgerReplyKind.POOL_EXCEEDED).setIntentId("i-1").setAgentId("pooled")
                .setGranted(List.of()).setCode(ReasonCode.DUPLICATE).setMessage(message).build(), T0.plusSeconds(1));

        // Then it is rejected DUPLICATE with the pool's sentence, holding nothing, and the pool is not asked to release
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.DUPLICATE);
            assertThat(reason.getMessage()).contains("intent id i-1 already holds a reservation here", "agent elsewhere");
        });
        List<CheckResult> checks = parked.caseFile().getChecks();
        assertThat(checks.get(checks.size() - 1)).satisfies(check -> {
            assertThat(check.getCheck()).isEqualTo("resource-ledger");
            assertThat(check.getStatus()).isEqualTo(CheckStatus.FAIL);
            assertThat(check.getCode()).isEqualTo(ReasonCode.DUPLICATE);
        });
        assertThat(parked.reserved("pooled", T0)).isZero();
        assertThat(parked.forwardedTo("ledger-requests-sink")).isEmpty();
    }
}
