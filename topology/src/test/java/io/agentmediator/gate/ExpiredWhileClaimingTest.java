package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An intent must not be executed after its {@code expiresAt}. One that arrives in time but whose claims the resource
 * ledger grants only after it (a ledger lagging behind, an outage) is rejected EXPIRED when the answer comes, and what was
 * granted goes back; the time it is granted at is its arrival plus the wall-clock time its claims were out, so a replay of
 * old intents is judged by how long its claims took, not by how old it is. A TopologyTestDriver answers claims within the
 * same input, so this is only reachable here.
 */
class ExpiredWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;
    /** The intents are read an hour after their record time, as in a replay. */
    private static final Instant READ_AT = T0.plus(Duration.ofHours(1));

    @TempDir File stateDir;
    private ParkedClaims parked;

    @BeforeEach
    void setUp() {
        parked = new ParkedClaims(stateDir, new CurrentPolicy(ParkedClaims.policy("expired-1", false)), new Suspensions(),
                Duration.ofMinutes(5), READ_AT);
    }

    @Test
    void shouldRejectAnIntentGrantedOnlyAfterItsExpiryAndGiveBackWhatWasGranted() {
        // Given i-1, to be executed within 30 seconds of its arrival, parked for its claim on room-1
        parked.send(expiring("i-1", T0.plusSeconds(30)), T0);
        assertThat(parked.reserved("booker", T0)).isEqualTo(2_000_000);
        parked.context.resetForwards();

        // When the ledger grants it 31 seconds of wall clock after it was parked
        parked.context.setCurrentSystemTimeMs(READ_AT.plusSeconds(31).toEpochMilli());
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0);

        // Then it is rejected EXPIRED, its reservation released, and the room let go
        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.EXPIRED);
            assertThat(reason.getMessage()).contains("expired at " + T0.plusSeconds(30) + " while its claims were out (granted 31000 ms after");
        });
        AuditRecord caseFile = parked.caseFile();
        assertThat(caseFile.getChecks().get(caseFile.getChecks().size() - 1)).satisfies(check -> {
            assertThat(check.getCheck()).isEqualTo("not-expired");
            assertThat(check.getStatus()).isEqualTo(CheckStatus.FAIL);
        });
        assertThat(parked.reserved("booker", T0)).isZero();
        parked.assertReleasedOnly("resource:room-1");
    }

    @Test
    void shouldExecuteAnIntentGrantedBeforeItsExpiryThoughItIsReadLongAfterIt() {
        // Given i-1, to be executed within 30 seconds, read an hour after it arrived (a replay), parked for its claim
        parked.send(expiring("i-1", T0.plusSeconds(30)), T0);
        parked.context.resetForwards();

        // When the ledger grants it 29 seconds after it was parked
        parked.context.setCurrentSystemTimeMs(READ_AT.plusSeconds(29).toEpochMilli());
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0);

        // Then it is executed, holding the room
        assertThat(parked.decisionTo("execute-sink").getIntentId()).isEqualTo("i-1");
        assertThat(parked.forwardedTo("ledger-requests-sink")).isEmpty();
    }

    @Test
    void shouldExecuteAnIntentWhoseGrantWasGivenInTimeThoughReadAfterAnOutagePastItsExpiry() {
        // Given i-1, to be executed within 30 seconds, parked for its claim
        parked.send(expiring("i-1", T0.plusSeconds(30)), T0);
        parked.context.resetForwards();

        // When the mediator, down since, reads the ledger's grant (given 10 seconds after the park) a minute later, having
        // read only what arrived up to then
        parked.readUpTo(READ_AT.plusSeconds(10));
        parked.context.setCurrentSystemTimeMs(READ_AT.plusSeconds(60).toEpochMilli());
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0);

        // Then the time it was down does not count against it: it is executed
        assertThat(parked.decisionTo("execute-sink").getIntentId()).isEqualTo("i-1");
    }

    private static AgentIntent expiring(String intentId, Instant expiresAt) {
        return AgentIntent.newBuilder(ParkedClaims.roomFor(intentId, "booker", 2_000_000)).setExpiresAt(expiresAt).build();
    }
}
