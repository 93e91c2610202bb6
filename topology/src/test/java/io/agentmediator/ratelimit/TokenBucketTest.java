package io.agentmediator.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.policy.RateLimit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One token per intent, refilled by the records' own timestamps. */
class TokenBucketTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    private static final RateLimit THREE_PER_SECOND_BURST = new RateLimit(3, 1.0);

    @Test
    void shouldAllowABurstUpToTheCapacityThenRefuse() {
        // Given a new bucket
        TokenBucket bucket = TokenBucket.full(THREE_PER_SECOND_BURST, T0);

        // When four intents arrive at the same instant
        List<Boolean> allowed = new ArrayList<>();
        RateDecision decision = null;
        for (int i = 0; i < 4; i++) {
            decision = bucket.take(T0, THREE_PER_SECOND_BURST);
            bucket = decision.bucket();
            allowed.add(decision.allowed());
        }

        // Then three go, the fourth waits a second for the next token
        assertThat(allowed).containsExactly(true, true, true, false);
        assertThat(decision.availableAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void shouldRefillOverEventTime() {
        // Given an empty bucket
        TokenBucket empty = new TokenBucket(0, T0.toEpochMilli());

        // When
        RateDecision halfASecondLater = empty.take(T0.plusMillis(500), THREE_PER_SECOND_BURST);
        RateDecision aSecondLater = halfASecondLater.bucket().take(T0.plusMillis(1000), THREE_PER_SECOND_BURST);

        // Then
        assertThat(halfASecondLater.allowed()).isFalse();
        assertThat(halfASecondLater.availableAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(aSecondLater.allowed()).isTrue();
        assertThat(aSecondLater.bucket()).isEqualTo(new TokenBucket(0, T0.plusSeconds(1).toEpochMilli()));
    }

    @Test
    void shouldNotRefillPastTheCapacity() {
        // Given a bucket idle for an hour
        TokenBucket idle = new TokenBucket(0, T0.toEpochMilli());
        Instant anHourLater = T0.plusSeconds(3_600);

        // When a burst arrives
        TokenBucket bucket = idle;
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            RateDecision decision = bucket.take(anHourLater, THREE_PER_SECOND_BURST);
            bucket = decision.bucket();
            allowed += decision.allowed() ? 1 : 0;
        }

        // Then only the capacity goes
        assertThat(allowed).isEqualTo(3);
    }

    @Test
    void shouldRefillNothingForAnOutOfOrderRecordNorTurnTheClockBack() {
        // Given an empty bucket last refilled at T0 + 10 s
        TokenBucket bucket = new TokenBucket(0, T0.plusSeconds(10).toEpochMilli());

        // When a record stamped T0 + 5 s arrives
        RateDecision late = bucket.take(T0.plusSeconds(5), THREE_PER_SECOND_BURST);

        // Then it is refused, and the bucket still waits from T0 + 10 s
        assertThat(late.allowed()).isFalse();
        assertThat(late.bucket()).isEqualTo(bucket);
        assertThat(late.availableAt()).isEqualTo(T0.plusSeconds(11));
    }

    @Test
    void shouldLetAnOutOfOrderRecordTakeATokenThatIsThere() {
        // Given a bucket with two tokens at T0 + 10 s
        TokenBucket bucket = new TokenBucket(2_000_000, T0.plusSeconds(10).toEpochMilli());

        // When a record stamped T0 + 5 s arrives
        RateDecision late = bucket.take(T0.plusSeconds(5), THREE_PER_SECOND_BURST);

        // Then
        assertThat(late.allowed()).isTrue();
        assertThat(late.bucket()).isEqualTo(new TokenBucket(1_000_000, T0.plusSeconds(10).toEpochMilli()));
    }

    @Test
    void shouldRefillAtAFractionalRateInWholeMilliseconds() {
        // Given an empty bucket refilled at 0.3 tokens a second
        RateLimit slow = new RateLimit(1, 0.3);
        TokenBucket empty = new TokenBucket(0, T0.toEpochMilli());

        // When
        RateDecision refused = empty.take(T0, slow);

        // Then the token is whole after 1 / 0.3 s, rounded up to the millisecond
        assertThat(refused.availableAt()).isEqualTo(T0.plusMillis(3_334));
        assertThat(empty.take(T0.plusMillis(3_333), slow).allowed()).isFalse();
        assertThat(empty.take(T0.plusMillis(3_334), slow).allowed()).isTrue();
    }

    @Test
    void shouldRefillAtItsRateHoweverOftenItIsAsked() {
        // Given an empty bucket refilled at one token per 2,000 s (500 micro-tokens a second: a millisecond earns half of one)
        RateLimit slow = new RateLimit(1, 0.0005);
        TokenBucket bucket = new TokenBucket(0, T0.plusMillis(1).toEpochMilli());
        Instant named = bucket.take(T0.plusMillis(1), slow).availableAt();

        // When the agent asks every millisecond, odd ones included
        Instant allowedAt = null;
        for (long ms = 2; allowedAt == null && ms <= 2_100_000; ms++) {
            RateDecision decision = bucket.take(T0.plusMillis(ms), slow);
            bucket = decision.bucket();
            allowedAt = decision.allowed() ? T0.plusMillis(ms) : null;
        }

        // Then its token comes 2,000 s after the bucket was emptied (less the half micro-token its millisecond had earned),
        // when the first refusal said it would
        assertThat(allowedAt).isEqualTo(T0.plusSeconds(2_000)).isEqualTo(named);
    }

    @Test
    void shouldRefillAStretchTheSameInOneStepOrInMany() {
        // Given an empty bucket at 0.000123 tokens a second (123 micro-tokens: a millisecond earns 0.123 of one), emptied at an
        // odd millisecond
        RateLimit limit = new RateLimit(1, 0.000123);
        Instant from = T0.plusMillis(7);
        TokenBucket start = new TokenBucket(0, from.toEpochMilli());
        Random random = new Random(7);

        // When one copy is refilled at each of 5,000 records 1 to 5 ms apart (each refused: the stretch earns less than a
        // token), and the other once at the last of them
        TokenBucket stepped = start;
        Instant at = from;
        for (int i = 0; i < 5_000; i++) {
            at = at.plusMillis(1 + random.nextInt(5));
            RateDecision decision = stepped.take(at, limit);
            assertThat(decision.allowed()).isFalse();
            stepped = decision.bucket();
        }
        TokenBucket once = start.take(at, limit).bucket();

        // Then both hold what the rate earns over the whole stretch
        long earned = at.toEpochMilli() * 123 / 1_000 - from.toEpochMilli() * 123 / 1_000;
        assertThat(earned).isGreaterThan(1_000);
        assertThat(stepped.microTokens()).isEqualTo(once.microTokens()).isEqualTo(earned);
    }

    @Test
    void shouldDropTokensAboveALoweredCapacity() {
        // Given a full bucket of 20
        TokenBucket full = TokenBucket.full(new RateLimit(20, 1.0), T0);

        // When the policy lowers the capacity to 2
        RateDecision decision = full.take(T0, new RateLimit(2, 1.0));

        // Then
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.bucket().microTokens()).isEqualTo(1_000_000);
    }

    @Test
    void shouldFillUpAfterAGapTooLongToMultiply() {
        // Given a bucket last seen at the epoch, refilled a million tokens a second
        RateLimit fast = new RateLimit(5, 1_000_000.0);
        TokenBucket ancient = new TokenBucket(0, 0);

        // When a record arrives two centuries later
        RateDecision decision = ancient.take(Instant.parse("2200-01-01T00:00:00Z"), fast);

        // Then
        assertThat(decision.bucket().microTokens()).isEqualTo(4_000_000);
    }

    @Test
    void shouldGiveTheSameAnswersWhenTheSameRecordsAreReplayed() {
        // Given a record sequence with bursts, gaps and late records, for a 0.7-per-second bucket
        RateLimit limit = new RateLimit(4, 0.7);
        List<Instant> times = new ArrayList<>();
        Random random = new Random(42);
        Instant at = T0;
        for (int i = 0; i < 500; i++) {
            at = at.plusMillis(random.nextInt(3_000) - 800);
            times.add(at);
        }

        // When it is played once straight through, and once restoring the bucket from its serde at every step
        List<RateDecision> first = play(times, limit, false);
        List<RateDecision> replay = play(times, limit, true);

        // Then
        assertThat(replay).isEqualTo(first);
        assertThat(first).extracting(RateDecision::allowed).contains(true, false);
    }

    @Test
    void shouldFillTheLargestBucketAfterAGapTooLongToMultiply() {
        // Given the largest bucket, empty since the epoch, at the fastest rate a double can ask for
        RateLimit largest = new RateLimit(RateLimit.MAX_CAPACITY, Double.MAX_VALUE);
        TokenBucket ancient = new TokenBucket(0, 0);

        // When / Then
        assertThat(ancient.take(T0, largest).bucket().microTokens())
                .isEqualTo((RateLimit.MAX_CAPACITY - 1) * TokenBucket.MICROS_PER_TOKEN);
    }

    @Test
    void shouldRefuseACapacityOutsideOneToTheLargest() {
        // Given / When / Then
        assertThatThrownBy(() -> TokenBucket.full(new RateLimit(0, 1.0), T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenBucket.full(new RateLimit(RateLimit.MAX_CAPACITY + 1, 1.0), T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<RateDecision> play(List<Instant> times, RateLimit limit, boolean throughSerde) {
        TokenBucketSerde serde = new TokenBucketSerde();
        TokenBucket bucket = TokenBucket.full(limit, times.get(0));
        List<RateDecision> decisions = new ArrayList<>();
        for (Instant at : times) {
            if (throughSerde) {
                bucket = serde.deserializer().deserialize("t", serde.serializer().serialize("t", bucket));
            }
            RateDecision decision = bucket.take(at, limit);
            decisions.add(decision);
            bucket = decision.bucket();
        }
        return decisions;
    }
}
