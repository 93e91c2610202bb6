package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions before {@code awaiting-claims-since} parked intents without the time they were parked, and the claims timeout
 * reads only that store: an intent such a version parked, whose answer was lost, would hold its reservation for good. The
 * first check after a task starts gives each one the time of that check, and the full timeout from it.
 */
class ParkedByEarlierVersionTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Instant ARRIVAL = ParkedClaims.T0.plus(Duration.ofHours(1));

    @TempDir File stateDir;

    @Test
    void anIntentParkedWithoutItsTimeIsGivenUpOnAClaimsTimeoutAfterTheFirstCheck() {
        // Given i-1 parked as an earlier version parked it: its case file and reservation, no time in awaiting-claims-since
        ParkedClaims parked = parkedWithoutItsTime("upgrade-1");
        KeyValueStore<String, Long> since = parked.context.getStateStore(GateStores.AWAITING_CLAIMS_SINCE);
        parked.context.resetForwards();

        // When the ledger's answer never comes: the first check after the start, a day later, and one a timeout after it
        Instant firstCheck = ARRIVAL.plus(Duration.ofDays(1));
        parked.punctuate(firstCheck);
        assertThat(parked.forwardedTo("reject-sink")).as("rejected at the first check").isEmpty();
        assertThat(since.get("i-1")).isEqualTo(firstCheck.toEpochMilli());
        parked.punctuate(firstCheck.plus(TIMEOUT));

        // Then it is rejected CLAIMS_UNANSWERED and its reservation released, as one this version parked would be
        assertThat(parked.decisionTo("reject-sink").getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.CLAIMS_UNANSWERED);
        assertThat(parked.reserved("booker", ParkedClaims.T0)).isZero();
    }

    @Test
    void aRevivedTaskGivesThemATimeAgainWhenTheFirstFilingWasRolledBack() {
        // Given i-1 parked without a time, filed by a first check whose transaction was then aborted (the filing gone)
        ParkedClaims parked = parkedWithoutItsTime("upgrade-2");
        KeyValueStore<String, Long> since = parked.context.getStateStore(GateStores.AWAITING_CLAIMS_SINCE);
        parked.punctuate(ARRIVAL.plus(Duration.ofMinutes(1)));
        since.delete("i-1");

        // When Kafka Streams revives the task with the same processors, and its first check runs
        parked.revive();
        Instant firstCheck = ARRIVAL.plus(Duration.ofMinutes(2));
        parked.punctuate(firstCheck);

        // Then the intent has a time again, and the claims timeout counts from that check
        assertThat(since.get("i-1")).isEqualTo(firstCheck.toEpochMilli());
    }

    /** i-1 parked for its claims, with its case file and reservation, and no time in awaiting-claims-since. */
    private ParkedClaims parkedWithoutItsTime(String policyVersion) {
        ParkedClaims parked = new ParkedClaims(stateDir, new CurrentPolicy(ParkedClaims.policy(policyVersion, false)), new Suspensions(),
                TIMEOUT, ARRIVAL);
        parked.send(ParkedClaims.roomFor("i-1", "booker", 3_000_000), ARRIVAL);
        parked.context.<KeyValueStore<String, Long>>getStateStore(GateStores.AWAITING_CLAIMS_SINCE).delete("i-1");
        return parked;
    }
}
