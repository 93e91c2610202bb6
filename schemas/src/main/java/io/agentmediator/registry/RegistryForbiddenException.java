package io.agentmediator.registry;

/**
 * The registry answered HTTP 403: it knows who asks and will not show them what was asked. For the mediator's own
 * subjects that is its configuration, unavailable until fixed; for a schema a record names by id it can be that record's
 * subject alone, in a registry that authorizes reads per subject, and {@link HttpSchemaRegistryClient#schemaById} says so.
 */
final class RegistryForbiddenException extends SchemaRegistryUnavailableException {

    RegistryForbiddenException(String message) {
        super(message);
    }
}
