package io.agentmediator.topics;

/** The topics are not as the mediator needs them; the message says what to do. */
public final class TopicProvisioningException extends RuntimeException {

    public TopicProvisioningException(String message) {
        super(message);
    }

    public TopicProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
