package io.agentmediator.ratelimit;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer of a {@link TokenBucket} for one intent: whether it may go on, the bucket to store, and the
 * event time from which a token is (or was) available, for the RATE_LIMITED message.
 *
 * @param bucket      the state after this intent, refilled and, when allowed, one token lighter
 * @param availableAt when allowed, the intent's own time; when not, the earliest event time at which a
 *                    token will be there if nothing else takes it first
 */
public record RateDecision(boolean allowed, TokenBucket bucket, Instant availableAt) {

    public RateDecision {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(availableAt, "availableAt");
    }
}
