package io.agentmediator.registry;

/**
 * The registry answered, and does not know the requested schema id, subject, or schema under a
 * subject (Confluent error codes 40403 and 40401).
 *
 * <p>Not retriable: when it comes from deserializing, the record names a schema nobody
 * registered, so the record is bad and belongs on a dead-letter topic; when it comes from
 * serializing with {@code auto.register.schemas=false}, the producer's schema was never
 * registered.
 */
public class SchemaNotFoundException extends SchemaRegistryException {

    public SchemaNotFoundException(String message) {
        super(message);
    }
}
