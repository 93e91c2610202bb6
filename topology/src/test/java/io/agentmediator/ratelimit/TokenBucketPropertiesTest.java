package io.agentmediator.ratelimit;

import static io.agentmediator.testing.RandomCases.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.RateLimit;
import io.agentmediator.testing.RandomCases;
import io.agentmediator.testing.RandomCases.Draw;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Over any stretch of event time the bucket admits at most {@code capacity + refillPerSecond * elapsed}.
 *
 * <p>For records in order "event time" is the records' own. A late record is charged to the bucket's
 * clock (the latest event time seen), not its own timestamp: it can use a token refilled after it was
 * stamped, so the bound holds over the stretch of the bucket's clock, which is what the second property
 * checks. The rate is drawn in whole micro-tokens per second, the precision the bucket keeps.
 *
 * <p>Each property runs on {@value #TRIES} cases drawn by {@link RandomCases} from a fixed seed: a capacity
 * of 1 to 20, a rate of 1 to 5,000,000 micro-tokens per second and up to 200 gaps between records, about
 * three in ten of them 0 (equal timestamps), one in ten or eleven up to a minute (the bucket fills up) and,
 * for the second and third properties, two in eleven negative (a record up to 5 s late).
 */
class TokenBucketPropertiesTest {

    private static final int TRIES = 1_000;
    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    @Test
    void shouldAdmitNoMoreThanCapacityPlusRefillOverAnyStretchOfOrderedRecords() {
        RandomCases.forAll(TRIES, TokenBucketPropertiesTest::inOrder, TokenBucketPropertiesTest::assertBounded);
    }

    @Test
    void shouldAdmitNoMoreThanCapacityPlusRefillOverAnyStretchOfTheBucketClock() {
        RandomCases.forAll(TRIES, TokenBucketPropertiesTest::outOfOrder, TokenBucketPropertiesTest::assertBounded);
    }

    @Test
    void shouldRefuseOnlyWithoutAWholeTokenAndAllowAtTheTimeItNames() {
        RandomCases.forAll(TRIES, TokenBucketPropertiesTest::outOfOrder, records -> {
            // Given
            RateLimit limit = records.limit();
            TokenBucket bucket = TokenBucket.full(limit, T0);
            Instant at = T0;

            for (long gap : records.gapsMillis()) {
                // When
                at = at.plusMillis(gap);
                RateDecision decision = bucket.take(at, limit);

                // Then
                if (!decision.allowed()) {
                    assertThat(decision.bucket().microTokens()).isLessThan(TokenBucket.MICROS_PER_TOKEN);
                    assertThat(decision.availableAt()).isAfter(at);
                    assertThat(decision.bucket().take(decision.availableAt(), limit).allowed()).isTrue();
                    assertThat(decision.bucket().take(decision.availableAt().minusMillis(1), limit).allowed())
                            .isFalse();
                }
                bucket = decision.bucket();
            }
        });
    }

    /**
     * For every pair of positions i <= j in processing order: admitted(i..j), in micro-tokens, is at most
     * the capacity plus what the bucket's clock advanced from i to j at the refill rate.
     */
    private static void assertBounded(Records records) {
        // Given
        RateLimit limit = records.limit();
        TokenBucket bucket = TokenBucket.full(limit, T0);
        List<Long> clocks = new ArrayList<>();
        List<Boolean> allowed = new ArrayList<>();
        Instant at = T0;
        long clock = T0.toEpochMilli();

        // When
        for (long gap : records.gapsMillis()) {
            at = at.plusMillis(gap);
            clock = Math.max(clock, at.toEpochMilli());
            RateDecision decision = bucket.take(at, limit);
            bucket = decision.bucket();
            clocks.add(clock);
            allowed.add(decision.allowed());
        }

        // Then
        for (int i = 0; i < allowed.size(); i++) {
            long admitted = 0;
            for (int j = i; j < allowed.size(); j++) {
                admitted += allowed.get(j) ? 1 : 0;
                long elapsedMillis = clocks.get(j) - clocks.get(i);
                long boundMicros = records.capacity() * TokenBucket.MICROS_PER_TOKEN
                        + elapsedMillis * records.refillMicrosPerSecond() / 1_000;
                assertThat(admitted * TokenBucket.MICROS_PER_TOKEN)
                        .as("admitted from #%d to #%d over %d ms", i, j, elapsedMillis)
                        .isLessThanOrEqualTo(boundMicros);
            }
        }
    }

    private static Records inOrder(Draw draw) {
        return records(draw, () -> draw.frequencyOf(
                weighted(3, () -> 0L),
                weighted(6, () -> draw.longBetween(1, 1_500)),
                weighted(1, () -> draw.longBetween(1_500, 60_000))));
    }

    private static Records outOfOrder(Draw draw) {
        return records(draw, () -> draw.frequencyOf(
                weighted(3, () -> 0L),
                weighted(5, () -> draw.longBetween(1, 1_500)),
                weighted(2, () -> draw.longBetween(-5_000, -1)),
                weighted(1, () -> draw.longBetween(1_500, 60_000))));
    }

    private static Records records(Draw draw, Supplier<Long> gapMillis) {
        return new Records(draw.intBetween(1, 20), draw.longBetween(1, 5_000_000), draw.listOf(1, 200, gapMillis));
    }

    /** A bucket's limit and the gaps, in event time, between the records that reach it (the first from T0). */
    record Records(int capacity, long refillMicrosPerSecond, List<Long> gapsMillis) {

        RateLimit limit() {
            return new RateLimit(capacity, refillMicrosPerSecond / 1_000_000.0);
        }
    }
}
