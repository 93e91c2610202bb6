package io.agentmediator.identity;

/** The mediator's signing key cannot be used; the message names the file and what is wrong with it. */
public final class InvalidSigningKeyException extends RuntimeException {

    public InvalidSigningKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
