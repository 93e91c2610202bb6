package io.agentmediator.intake;

/** An intents record that is not an intent at all; it goes to the dead-letter topic. */
public final class UnreadableIntentException extends RuntimeException {

    public UnreadableIntentException(String message) {
        super(message);
    }
}
