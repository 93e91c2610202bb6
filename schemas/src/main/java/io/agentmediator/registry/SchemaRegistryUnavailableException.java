package io.agentmediator.registry;

/**
 * No configured registry URL gave a usable answer: connection refused, no whole answer within the
 * read timeout, a TLS failure, HTTP 5xx, 408 or 429; or one that is no fault of what was asked: the
 * mediator's credentials refused (401; 403 for its own subjects), a redirect, a 404 without the registry's error code (a
 * wrong base URL), an answer that is not the registry's JSON.
 *
 * <p>Retriable: the record is fine and the registry is down, overloaded or misconfigured, so the
 * caller should wait, retry or stop rather than dead-letter the record. When several URLs were tried, the
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
