package io.agentmediator.registry;

/**
 * No configured registry URL gave a usable answer: connection refused, a timeout, a TLS failure,
 * HTTP 5xx, 408 or 429.
 *
 * <p>Retriable: the record is probably fine and the registry is down or overloaded, so the caller
 * should retry or stop rather than dead-letter the record. When several URLs were tried, the
 * message lists each one's failure and the first failure is the cause.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String message) {
        super(message);
    }

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
