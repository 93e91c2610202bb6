package io.agentmediator.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The record is well formed but was written with a schema this reader cannot resolve against its
 * own, for instance one that lacks a field the reader requires and that has no default.
 *
 * <p>Not retriable: the writer's schema will not change. It usually means an agent published a
 * schema that broke compatibility, or published to the wrong topic.
 */
public class IncompatibleSchemaException extends SerializationException {

    public IncompatibleSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
