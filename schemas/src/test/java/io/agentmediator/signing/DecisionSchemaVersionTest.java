package io.agentmediator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.serde.AvroDeserializer;
import io.agentmediator.serde.AvroSerializer;
import io.agentmediator.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** An executor reading decisions with an older Decision schema than the mediator wrote them with. */
class DecisionSchemaVersionTest {

    private static final String TOPIC = "agent.decisions.execute";
    private static final String SUBJECT = TOPIC + "-value";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("mock://signing-versions");
    private final KeyPair mediator = Ed25519Keys.generate();

    @Test
    void shouldVerifyADecisionWrittenWithANewerSchemaThanTheExecutorReadsWith() throws IOException {
        // Given a signed decision, written by a newer mediator whose Decision has another field
        // and declares its fields in another order
        Decision signed = new DecisionSigner(mediator.getPrivate(), "m").sign(GoldenVector.decision());
        Schema newer = newerDecisionSchema();
        byte[] onTheTopic = rewrite(new AvroSerializer<Decision>(registry).serialize(TOPIC, signed), newer);

        // When the executor reads it with today's Decision
        Decision read = new AvroDeserializer<>(Decision.class, registry).deserialize(TOPIC, onTheTopic);

        // Then it computes the same canonical form, and the signature verifies
        assertThat(DecisionCanonicalForm.text(read)).isEqualTo(DecisionCanonicalForm.text(signed));
        assertThat(new DecisionVerifier().verify(read, mediator.getPublic())).isTrue();
    }

    @Test
    void shouldReadAReasonCodeAddedAfterItsSchemaAsUnknownAndNotVerifyIt() throws IOException {
        // Given a signed decision, written by a newer mediator whose ReasonCode has a code this executor's lacks
        Decision signed = new DecisionSigner(mediator.getPrivate(), "m").sign(GoldenVector.decision());
        Schema newer = withReasonCode("FUTURE_CODE");
        byte[] onTheTopic = rewrite(new AvroSerializer<Decision>(registry).serialize(TOPIC, signed), newer, record -> {
            GenericRecord first = (GenericRecord) ((List<?>) record.get("reasons")).get(0);
            first.put("code", new GenericData.EnumSymbol(first.getSchema().getField("code").schema(), "FUTURE_CODE"));
        });

        // When the executor reads it with today's Decision
        Decision read = new AvroDeserializer<>(Decision.class, registry).deserialize(TOPIC, onTheTopic);

        // Then the code it does not know reads as UNKNOWN, the enum's default, instead of failing every read of the topic
        assertThat(read.getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.UNKNOWN, ReasonCode.RULE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(Decision.getClassSchema(), newer).getType())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        // And what it read is not what was signed: it acts on no decision it could not read whole
        assertThat(new DecisionVerifier().verify(read, mediator.getPublic())).isFalse();
    }

    /** Today's Decision with {@code code} added to its ReasonCode. */
    private static Schema withReasonCode(String code) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode schema = (ObjectNode) json.readTree(Decision.getClassSchema().toString());
        schema.withArray("fields").forEach(field -> {
            if (field.get("name").asText().equals("reasons")) {
                field.get("type").get("items").withArray("fields").forEach(reasonField -> {
                    if (reasonField.get("name").asText().equals("code")) {
                        ((ArrayNode) reasonField.get("type").get("symbols")).add(code);
                    }
                });
            }
        });
        return new Schema.Parser().parse(schema.toString());
    }

    /** Decision with its fields reversed and a field "caseUrl" added. */
    private static Schema newerDecisionSchema() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode schema = (ObjectNode) json.readTree(Decision.getClassSchema().toString());
        List<ObjectNode> fields = new ArrayList<>();
        schema.withArray("fields").forEach(field -> fields.add((ObjectNode) field));
        fields.add(json.createObjectNode().put("name", "caseUrl").put("type", "string").put("default", ""));
        Collections.reverse(fields);
        ArrayNode reordered = schema.putArray("fields");
        fields.forEach(reordered::add);
        return new Schema.Parser().parse(schema.toString());
    }

    /** Re-encodes a wire-format Decision with the newer schema, as the newer mediator would have written it. */
    private byte[] rewrite(byte[] current, Schema newer) throws IOException {
        return rewrite(current, newer, record -> record.put("caseUrl", "https://cases.example.com/intent-0001"));
    }

    /** As {@link #rewrite(byte[], Schema)}, with {@code change} made to the record on the way. */
    private byte[] rewrite(byte[] current, Schema newer, Consumer<GenericRecord> change) throws IOException {
        Schema writer = registry.schemaById(WireFormat.schemaId(TOPIC, current));
        GenericRecord record = new GenericDatumReader<GenericRecord>(writer, newer).read(null,
                DecoderFactory.get().binaryDecoder(current, WireFormat.HEADER_SIZE,
                        current.length - WireFormat.HEADER_SIZE, null));
        change.accept(record);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WireFormat.header(registry.register(SUBJECT, newer)));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(newer).write(record, encoder);
        return out.toByteArray();
    }
}
