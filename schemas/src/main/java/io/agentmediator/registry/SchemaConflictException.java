package io.agentmediator.registry;

/**
 * The registry answered HTTP 409. Confluent's registry means an incompatible schema; Apicurio also
 * answers it now and then to one of several registrations made at the same moment (two instances
 * writing their first records), which is why a registration is tried twice.
 */
public class SchemaConflictException extends SchemaRegistryException {

    public SchemaConflictException(String message) {
        super(message);
    }
}
