package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dependency that completed, woke its dependent, and is then reported COMPENSATED while the dependent's claims are
 * out to the resource ledger: the dependent is rejected DEPENDENCY_FAILED there and then, whatever its claims' answer,
 * which is given back when it comes. The whole topology in a TopologyTestDriver answers claims within the same input,
 * so this window is only reachable here and on the real broker ({@code UndoneDependencyIT}).
 */
class UndoneWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;

    @TempDir File stateDir;
    private ParkedClaims parked;

    @BeforeEach
    void setUp() {
        parked = new ParkedClaims(stateDir, new CurrentPolicy(ParkedClaims.policy("listing-1", false)), new Suspensions(),
                Duration.ofMinutes(5), T0);
    }

    @Test
    void shouldRejectAWokenIntentWhoseDependencyIsUndoneWhileItsClaimsAreOutAndGiveBackWhatTheLedgerThenGrants() {
        // Given i-1, woken by m-1's completion, parked for its claim on room-1 with its estimate reserved
        parked.sendWoken(booking("i-1", "m-1"), T0, T0.plusSeconds(10));
        assertThat(parked.reserved("booker", T0)).isEqualTo(2_000_000);
        parked.context.resetForwards();

        // When the ledger says m-1 was compensated, before it answers the claim
        parked.answer(undone("i-1", "m-1"), T0.plusSeconds(11));

        // Then i-1 is rejected DEPENDENCY_FAILED, its reservation released, and the ledger told to let go of room-1
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.DEPENDENCY_FAILED);
            assertThat(reason.getMessage()).isEqualTo("dependency m-1 was reported COMPENSATED after it had completed, while this"
                    + " intent's claims were out; it cannot go ahead, and its reservation is released");
        });
        AuditRecord caseFile = parked.caseFile();
        assertThat(caseFile.getChecks().get(caseFile.getChecks().size() - 1)).satisfies(check -> {
            assertThat(check.getCheck()).isEqualTo("dependencies");
            assertThat(check.getStatus()).isEqualTo(CheckStatus.FAIL);
        });
        assertThat(parked.reserved("booker", T0)).isZero();
        parked.assertReleasedOnly("resource:room-1");
        assertThat(parked.releasedClaims()).as("the claim's own holds, taken from when it woke").containsExactly(Optional.of(T0.plusSeconds(10)));

        // And the claim granted after that is given back, deciding nothing: where the ledger says it took
        parked.context.resetForwards();
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(12));
        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        parked.assertReleasedOnly("resource:room-1");
        assertThat(parked.releasedClaims()).containsExactly(Optional.empty());
    }

    @Test
    void shouldLeaveAParkedIntentThatDoesNotDependOnTheUndoneTaskToItsClaims() {
        // Given i-1 parked for its claim, woken by m-1, and an undone m-2 told under its id (an id reused since, say)
        parked.sendWoken(booking("i-1", "m-1"), T0, T0.plusSeconds(10));
        parked.context.resetForwards();
        parked.answer(undone("i-1", "m-2"), T0.plusSeconds(11));

        // Then nothing is decided until the claim is answered, and then as the ledger says
        assertThat(parked.context.forwarded()).isEmpty();
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(12));
        assertThat(parked.forwardedTo("execute-sink")).hasSize(1);
    }

    private static AgentIntent booking(String intentId, String dependsOn) {
        return AgentIntent.newBuilder(ParkedClaims.roomFor(intentId, "booker", 2_000_000)).setDependsOn(List.of(dependsOn)).build();
    }

    private static LedgerReply undone(String intentId, String dependency) {
        return LedgerReply.newBuilder().setKind(LedgerReplyKind.DEPENDENCY).setIntentId(intentId).setAgentId("booker")
                .setDependency(dependency).setDependencyStatus(OutcomeStatus.COMPENSATED).build();
    }
}
