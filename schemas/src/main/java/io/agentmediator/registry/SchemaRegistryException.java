package io.agentmediator.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The registry refused a request for a reason that is neither "not found" nor "unavailable": an
 * incompatible or invalid schema (HTTP 409, 422) or another 4xx for what was asked. Retrying does not
 * help; the schema must change.
 *
 * <p>It is also the base of {@link SchemaNotFoundException} (the record is bad) and
 * {@link SchemaRegistryUnavailableException} (the registry is down, retry), so a caller that only
 * cares about "something went wrong with the registry" can catch this one type. It extends Kafka's
 * {@link SerializationException} because registry calls happen inside serializers and
 * deserializers, where Kafka and its users expect that type.
 */
public class SchemaRegistryException extends SerializationException {

    public SchemaRegistryException(String message) {
        super(message);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
