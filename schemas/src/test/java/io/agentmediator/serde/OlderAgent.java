package io.agentmediator.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes records the way an agent with its own copy of a schema would: a generic record in the
 * Confluent wire format, independent of our serializer and of the generated classes.
 */
final class OlderAgent {

    private OlderAgent() {
    }

    /** A record of {@code schema}, fields given as name, value, name, value, ... */
    static GenericRecord record(Schema schema, Object... namesAndValues) {
        GenericRecord record = new GenericData.Record(schema);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            record.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return record;
    }

    static byte[] write(int schemaId, GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WireFormat.header(schemaId));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Parses an Approval schema as an agent on another version might declare it. */
    static Schema approvalSchema(String fieldsJson) {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "Approval", "namespace": "io.agentmediator.schema", "fields": [%s]}"""
                .formatted(fieldsJson));
    }

    static final String DECISION_ENUM =
            "{\"type\": \"enum\", \"name\": \"ApprovalDecision\", \"symbols\": [\"APPROVE\", \"DENY\"]}";
}
