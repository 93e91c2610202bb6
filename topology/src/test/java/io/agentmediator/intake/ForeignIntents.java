package io.agentmediator.intake;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Intents as a producer with a schema of its own writes them: AgentIntent with fields changed or added, as a registry
 * would accept it, and the record's bytes written by hand, since no generated class knows that schema.
 */
final class ForeignIntents {

    private ForeignIntents() {}

    /** AgentIntent with each field passed through {@code change}, then {@code added}. */
    static Schema agentIntent(UnaryOperator<Schema.Field> change, Schema.Field... added) {
        List<Schema.Field> fields = new ArrayList<>();
        AgentIntent.getClassSchema().getFields().forEach(field -> fields.add(change.apply(new Schema.Field(field, field.schema()))));
        fields.addAll(List.of(added));
        return Schema.createRecord("AgentIntent", null, AgentIntent.getClassSchema().getNamespace(), false, fields);
    }

    /**
     * The wire-format header for {@code schemaId}, then an intent of bystander's up to its {@code expiresAt}: a cheap
     * llm.call, every optional field null and every list empty. The caller writes {@code expiresAt} and what its schema adds.
     */
    static BinaryEncoder bystandersIntent(ByteArrayOutputStream out, int schemaId, String intentId) throws IOException {
        out.writeBytes(WireFormat.header(schemaId));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        encoder.writeString(intentId);
        encoder.writeString("bystander");
        encoder.writeIndex(0);
        encoder.writeString("llm.call");
        encoder.writeString("llm:large");
        encoder.writeLong(1);
        encoder.writeLong(0);
        encoder.writeDouble(0.9);
        encoder.writeIndex(0);
        for (int list = 0; list < 6; list++) {
            encoder.writeLong(0);       // alternatives, dataClasses, departments, claims, dependsOn, attributes: empty
        }
        return encoder;
    }
}
