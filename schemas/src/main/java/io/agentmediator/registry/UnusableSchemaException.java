package io.agentmediator.registry;

/**
 * The registry answered with the schema a record names, and it is not one this client can read with: not Avro, not
 * valid Avro, or one the registry refuses to show this client (HTTP 403). Not retriable, and the record's fault rather than the configuration's: its producer framed it with that
 * schema, so the record belongs on a dead-letter topic or, where there is none, is stepped over.
 */
public class UnusableSchemaException extends SchemaRegistryException {

    public UnusableSchemaException(String message) {
        super(message);
    }

    public UnusableSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
