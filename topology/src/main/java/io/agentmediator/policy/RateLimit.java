package io.agentmediator.policy;

/** A token bucket in event time: {@code capacity} is the largest burst, refilled at {@code refillPerSecond}. */
public record RateLimit(long capacity, double refillPerSecond) {
}
