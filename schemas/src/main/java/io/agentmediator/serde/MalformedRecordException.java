package io.agentmediator.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The record itself is bad: its bytes are not in the Confluent wire format or its Avro body is
 * truncated or corrupt, or (when serializing) the object cannot be encoded with its own schema.
 *
 * <p>Not retriable: the same bytes will fail the same way, so a consumer should send the record to
 * a dead-letter topic rather than stop.
 */
public class MalformedRecordException extends SerializationException {

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
