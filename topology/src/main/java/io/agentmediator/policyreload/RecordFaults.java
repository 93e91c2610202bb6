package io.agentmediator.policyreload;

import io.agentmediator.registry.SchemaNotFoundException;
import io.agentmediator.registry.UnusableSchemaException;
import io.agentmediator.serde.IncompatibleSchemaException;
import io.agentmediator.serde.MalformedRecordException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Whether a policy record failed to read through its own fault (malformed, or framed with a schema that is unknown, not
 * Avro, or incompatible): then it is refused or stepped over. Any other failure is the registry's (down, or refusing the
 * mediator's credentials) and must not cost a good document its place: the thread stops, or the record is dead-lettered
 * as any record a processor fails on, and it is read again.
 */
final class RecordFaults {

    private RecordFaults() {}

    static boolean isRecordsFault(SerializationException e) {
        return e instanceof MalformedRecordException || e instanceof IncompatibleSchemaException || e instanceof SchemaNotFoundException
                || e instanceof UnusableSchemaException;
    }
}
