package io.agentmediator.policy;

/** A token bucket in event time: {@code capacity} is the largest burst, refilled at {@code refillPerSecond}. */
public record RateLimit(long capacity, double refillPerSecond) {

    /**
     * The largest burst a bucket takes. Far beyond any real limit, it keeps a full bucket's micro-tokens
     * under 2^63 / 1000, which is what lets a refill whose product would overflow simply fill the bucket.
     */
    public static final long MAX_CAPACITY = 1_000_000_000L;
}
