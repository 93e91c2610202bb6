package io.agentmediator.limits;

/** A record breaks one or more of the {@link InputLimits}; the message names each, with its config key. */
public final class OverLimitException extends RuntimeException {

    public OverLimitException(String message) {
        super(message);
    }
}
