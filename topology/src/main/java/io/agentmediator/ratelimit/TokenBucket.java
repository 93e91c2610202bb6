package io.agentmediator.ratelimit;

import io.agentmediator.policy.RateLimit;
import java.time.Instant;

/**
 * A token bucket in event time: the state of one agent's rate limit (or one agent's and action's).
 *
 * <p>Tokens are counted in micro-tokens and time in epoch milliseconds of the records' timestamps, with
 * integer arithmetic only, so a replay of the same records gives the same answers on any machine.
 * {@code lastRefillMillis} is the latest event time the bucket has seen: a record older than that (out of
 * order) refills nothing and does not move it back, so no stretch of event time is ever refilled twice.
 *
 * <p>The refill up to a time is counted on one grid of event time, {@code floor(t * rate / 1000)} micro-tokens at epoch
 * millisecond {@code t}, and each refill is the difference between two points of it. The part of a micro-token a short
 * stretch earns is then carried to the next, not dropped: an agent asking every millisecond under a rate of one token
 * per half hour still gets its token on time, and the time a rejection names is when it comes.
 *
 * @param microTokens      tokens left, in millionths of a token
 * @param lastRefillMillis event time up to which the bucket has been refilled
 */
public record TokenBucket(long microTokens, long lastRefillMillis) {

    /** What one intent takes. */
    static final long MICROS_PER_TOKEN = 1_000_000L;

    private static final long MILLIS_PER_SECOND = 1_000L;

    public TokenBucket {
        if (microTokens < 0) {
            throw new IllegalArgumentException("a bucket cannot hold fewer than no tokens: " + microTokens);
        }
    }

    /** A new bucket starts full, so an agent's first burst is allowed up to the capacity. */
    public static TokenBucket full(RateLimit limit, Instant at) {
        return new TokenBucket(capacityMicros(limit), at.toEpochMilli());
    }

    /**
     * Refills for the event time since the last refill, capped at the capacity, then takes one token if
     * there is one. A lowered capacity applies at once: the tokens above it are dropped.
     */
    public RateDecision take(Instant at, RateLimit limit) {
        long rate = microTokensPerSecond(limit);
        TokenBucket refilled = refilledTo(at.toEpochMilli(), capacityMicros(limit), rate);
        if (refilled.microTokens >= MICROS_PER_TOKEN) {
            TokenBucket taken = new TokenBucket(refilled.microTokens - MICROS_PER_TOKEN, refilled.lastRefillMillis);
            return new RateDecision(true, taken, at);
        }
        // Refilling w ms earns floor((carry + w * rate) / 1000): the token is whole once carry + w * rate reaches missing * 1000.
        long missing = MICROS_PER_TOKEN - refilled.microTokens;
        long waitMillis = -Math.floorDiv(-(missing * MILLIS_PER_SECOND - carry(refilled.lastRefillMillis, rate)), rate);
        return new RateDecision(false, refilled, Instant.ofEpochMilli(refilled.lastRefillMillis + waitMillis));
    }

    private TokenBucket refilledTo(long atMillis, long capacity, long rate) {
        long tokens = Math.min(microTokens, capacity);
        if (atMillis <= lastRefillMillis) {
            return new TokenBucket(tokens, lastRefillMillis);
        }
        long elapsed = atMillis - lastRefillMillis;
        long room = capacity - tokens;
        // A product near 2^63 is a refill near 2^63 / 1000 micro-tokens: more than any capacity (RateLimit.MAX_CAPACITY).
        long refill = elapsed > (Long.MAX_VALUE - MILLIS_PER_SECOND) / rate ? room
                : (carry(lastRefillMillis, rate) + elapsed * rate) / MILLIS_PER_SECOND;
        return new TokenBucket(refill >= room ? capacity : tokens + refill, atMillis);
    }

    /** What the grid holds at {@code millis} beyond its last whole micro-token, in thousandths of one: (millis * rate) mod 1000. */
    private static long carry(long millis, long rate) {
        return Math.floorMod(millis, MILLIS_PER_SECOND) * Math.floorMod(rate, MILLIS_PER_SECOND) % MILLIS_PER_SECOND;
    }

    private static long capacityMicros(RateLimit limit) {
        if (limit.capacity() < 1 || limit.capacity() > RateLimit.MAX_CAPACITY) {
            throw new IllegalArgumentException("a rate limit's capacity must be 1 to " + RateLimit.MAX_CAPACITY + " tokens: " + limit);
        }
        return limit.capacity() * MICROS_PER_TOKEN;
    }

    /**
     * The policy gives the rate as a decimal; it is rounded once to whole micro-tokens per second (at least
     * one) so that everything after is integer arithmetic.
     */
    private static long microTokensPerSecond(RateLimit limit) {
        return Math.max(1, Math.round(limit.refillPerSecond() * MICROS_PER_TOKEN));
    }
}
