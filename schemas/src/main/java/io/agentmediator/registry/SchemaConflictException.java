package io.agentmediator.registry;

/**
 * The registry answered HTTP 409 to a registration. Confluent's registry means an incompatible schema;
 * Apicurio also answers it when it loses a race with a registration of the same content made at the
 * same moment (two instances writing their first records), which is why a registration is tried twice.
 */
public class SchemaConflictException extends SchemaRegistryException {

    public SchemaConflictException(String message) {
        super(message);
    }
}
