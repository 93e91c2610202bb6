package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.Holdings;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.schema.internal.LedgerRequestKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing waits forever: an intent whose claims the resource ledger never answers (its request
 * lost or dead-lettered) is rejected CLAIMS_UNANSWERED after the claims timeout, its reservation
 * released and the ledger told to let go; an answer that comes later gives back what it granted.
 */
class ClaimsTimeoutTest {

    private static final Instant T0 = ParkedClaims.T0;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Instant ARRIVAL = T0.plus(Duration.ofHours(1));

    @TempDir File stateDir;
    private final CurrentPolicy policy = new CurrentPolicy(ParkedClaims.policy("claims-timeout-1", false));
    private ParkedClaims parked;

    @BeforeEach
    void setUp() {
        // The intents arrive an hour after their record time (a replay): the timeout counts wall-clock time from arrival.
        parked = new ParkedClaims(stateDir, policy, new Suspensions(), TIMEOUT, ARRIVAL);
    }

    @Test
    void anUnansweredClaimIsRejectedAfterTheTimeoutWithItsReservationReleased() {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 3_000_000), T0);
        assertThat(forwardedTo("ledger-requests-sink")).singleElement()
                .satisfies(claim -> assertThat(((LedgerRequest) claim.record().value()).getKind()).isEqualTo(LedgerRequestKind.CLAIM));
        assertThat(reservedToday()).isEqualTo(3_000_000);
        parked.context.resetForwards();

        parked.punctuate(ARRIVAL.plus(TIMEOUT).minusSeconds(1));
        assertThat(parked.context.forwarded()).isEmpty();

        parked.punctuate(ARRIVAL.plus(TIMEOUT));
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getIntentId()).isEqualTo("i-1");
        assertThat(rejected.getReasons()).extracting(r -> r.getCode()).containsExactly(ReasonCode.CLAIMS_UNANSWERED);
        assertThat(rejected.getReasons().get(0).getMessage()).contains("claims timeout of PT5M");
        assertThat(reservedToday()).isZero();
        parked.assertReleasedOnly("resource:room-1");
        assertThat(parked.releasedClaims()).as("only what the claim sent at the intent's time took: an earlier intent under the id"
                + " may hold where its walk never got").containsExactly(Optional.of(T0));
        parked.context.resetForwards();

        parked.punctuate(ARRIVAL.plus(TIMEOUT).plusSeconds(10));
        assertThat(forwardedTo("reject-sink")).as("decided once").isEmpty();
    }

    @Test
    void aBurstOfUnansweredClaimsIsRejectedInBoundedPassesAFollowUpApartThatStopOnceNoneIsLeft() {
        // Given more intents than one pass decides, all parked at once (the ledger's partition away)
        int burst = 2 * PacedCheck.DECISIONS_PER_PASS + PacedCheck.DECISIONS_PER_PASS / 2;
        for (int i = 0; i < burst; i++) {
            parked.send(ParkedClaims.roomFor("i-" + i, "booker", 1_000), T0);
        }
        parked.context.resetForwards();

        // When the timeout has passed: the check, then its follow-ups
        Instant due = ARRIVAL.plus(TIMEOUT);
        parked.punctuate(due);
        int firstPass = forwardedTo("reject-sink").size();
        CapturedPunctuator followUp = parked.context.scheduledPunctuators().get(parked.context.scheduledPunctuators().size() - 1);
        parked.punctuate(due.plus(PacedCheck.FOLLOW_UP));
        parked.punctuate(due.plus(PacedCheck.FOLLOW_UP.multipliedBy(2)));

        // Then each pass decided its bound, the last the rest, and the follow-up stops with nothing left
        assertThat(firstPass).isEqualTo(PacedCheck.DECISIONS_PER_PASS);
        assertThat(followUp.getInterval()).isEqualTo(PacedCheck.FOLLOW_UP);
        assertThat(forwardedTo("reject-sink")).hasSize(burst)
                .extracting(f -> ((Decision) f.record().value()).getIntentId()).doesNotHaveDuplicates();
        assertThat(followUp.cancelled()).isTrue();
    }

    @Test
    void anUnansweredClaimOfAnAgentTheNewPolicyNoLongerListsStillGivesItsRoomBack() {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 3_000_000), T0);
        policy.replace(ParkedClaims.policyWithout("claims-timeout-2", "booker"));
        parked.context.resetForwards();

        parked.punctuate(ARRIVAL.plus(TIMEOUT));

        assertThat(forwardedTo("reject-sink")).hasSize(1);
        parked.assertReleasedOnly("resource:room-1");
    }

    @Test
    void anUnansweredClaimReleasesThePoolItWasSentToWhenThePolicyMovedTheAgentSince() {
        // Given: pooled's claims went to the shared pool, and a new policy moves pooled to the spare pool
        parked.send(ParkedClaims.roomFor("i-1", "pooled", 3_000_000), T0);
        assertThat(forwardedTo("ledger-requests-sink")).singleElement().satisfies(claim -> assertThat(claim.record().key()).isEqualTo("pool:shared"));
        policy.replace(ParkedClaims.policyMovingPooled("claims-timeout-3"));
        parked.context.resetForwards();

        // When
        parked.punctuate(ARRIVAL.plus(TIMEOUT));

        // Then: the shared pool is told, where the charge is; the spare pool never saw the intent
        assertThat(forwardedTo("reject-sink")).hasSize(1);
        assertThat(parked.released()).containsExactly("pool:shared", "resource:room-1");
    }

    @Test
    void anUnansweredClaimOfAPooledAgentTheNewPolicyNoLongerListsGivesItsPoolChargeBackToo() {
        // Given: worked out from a policy without the agent, the pool it charged was left out
        parked.send(ParkedClaims.roomFor("i-1", "pooled", 3_000_000), T0);
        policy.replace(ParkedClaims.policyWithout("claims-timeout-4", "pooled"));
        parked.context.resetForwards();

        // When
        parked.punctuate(ARRIVAL.plus(TIMEOUT));

        // Then
        assertThat(parked.released()).containsExactly("pool:shared", "resource:room-1");
    }

    @Test
    void anUnansweredClaimParkedByAVersionThatKeptNoKeysReleasesWhatThePolicyInForceNames() {
        // Given: parked as an earlier version parked it, with no record of where its claims went
        parked.send(ParkedClaims.roomFor("i-1", "pooled", 3_000_000), T0);
        KeyValueStore<String, Holdings> sentTo = parked.context.getStateStore(GateStores.AWAITING_CLAIMS_KEYS);
        assertThat(sentTo.get("i-1").getKeys()).containsExactly("pool:shared", "resource:room-1");
        sentTo.delete("i-1");
        parked.context.resetForwards();

        // When
        parked.punctuate(ARRIVAL.plus(TIMEOUT));

        // Then
        assertThat(forwardedTo("reject-sink")).hasSize(1);
        assertThat(parked.released()).containsExactly("pool:shared", "resource:room-1");
    }

    @Test
    void aParkedIntentLeavesNoRecordOfWhereItsClaimsWentOnceDecided() {
        // Given
        parked.send(ParkedClaims.roomFor("i-1", "pooled", 1_000_000), T0);
        parked.send(ParkedClaims.roomFor("i-2", "pooled", 1_000_000), T0);

        // When: one answered, one given up on
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "pooled", List.of("pool:shared", "resource:room-1")),
                T0.plusSeconds(1));
        parked.punctuate(ARRIVAL.plus(TIMEOUT));

        // Then
        KeyValueStore<String, Holdings> sentTo = parked.context.getStateStore(GateStores.AWAITING_CLAIMS_KEYS);
        assertThat(sentTo.approximateNumEntries()).isZero();
    }

    @Test
    void anAnswerAfterTheTimeoutGivesBackWhatTheLedgerGranted() {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 1_000_000), T0);
        parked.punctuate(ARRIVAL.plus(TIMEOUT));
        parked.context.resetForwards();

        LedgerReply late = LedgerReply.newBuilder().setKind(LedgerReplyKind.GRANTED).setIntentId("i-1").setAgentId("booker")
                .setGranted(List.of("resource:room-1")).build();
        parked.answer(late, T0.plus(TIMEOUT).plusSeconds(1));

        assertThat(forwardedTo("execute-sink")).isEmpty();
        parked.assertReleasedOnly("resource:room-1");
    }

    @Test
    void anAnswerForAnotherAgentsIntentUnderTheSameIdGivesBackWhatItGrantedAndLeavesTheParkedIntentWaiting() {
        // Given: booker's i-1 waits for its claims; pooled once sent an intent under the same id, beyond the dedupe memory
        parked.send(ParkedClaims.roomFor("i-1", "booker", 1_000_000), T0);
        parked.context.resetForwards();

        // When the ledger's answer to pooled's claims comes
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "pooled", List.of("pool:shared", "resource:room-1")),
                T0.plusSeconds(1));

        // Then nothing is decided, pooled's grant goes back, and booker's intent still holds its reservation
        assertThat(forwardedTo("execute-sink")).isEmpty();
        assertThat(parked.released()).containsExactly("pool:shared", "resource:room-1");
        assertThat(reservedToday()).isEqualTo(1_000_000);
        parked.context.resetForwards();

        // And booker's own answer decides it
        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(2));
        assertThat(forwardedTo("execute-sink")).singleElement()
                .satisfies(f -> assertThat(((Decision) f.record().value()).getAgentId()).isEqualTo("booker"));
    }

    @Test
    void anAnswerInTimeDecidesAsBefore() {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 1_000_000), T0);
        LedgerReply granted = LedgerReply.newBuilder().setKind(LedgerReplyKind.GRANTED).setIntentId("i-1").setAgentId("booker")
                .setGranted(List.of("resource:room-1")).build();
        parked.answer(granted, T0.plusSeconds(1));
        parked.context.resetForwards();

        parked.punctuate(ARRIVAL.plus(TIMEOUT).plusSeconds(1));

        assertThat(parked.context.forwarded()).isEmpty();
        assertThat(reservedToday()).isEqualTo(1_000_000);
    }

    private List<CapturedForward<? extends Object, ? extends Object>> forwardedTo(String child) {
        return parked.forwardedTo(child);
    }

    private long reservedToday() {
        return parked.reserved("booker", T0);
    }
}
