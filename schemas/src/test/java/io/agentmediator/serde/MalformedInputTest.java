package io.agentmediator.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaNotFoundException;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bytes a consumer may find on a topic that are not a readable record, and what it is told. */
class MalformedInputTest {

    private static final String TOPIC = "agent.approvals";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("mock://malformed");
    private final AvroDeserializer<Approval> deserializer = new AvroDeserializer<>(Approval.class, registry);

    @Test
    void shouldRejectEmptyBytes() {
        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[0]))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageStartingWith("Record on topic 'agent.approvals' is empty");
    }

    @Test
    void shouldNameTheByteFoundInsteadOfTheMagicByte() {
        // Given an agent that published plain JSON
        byte[] json = "{\"intentId\": \"intent-1\"}".getBytes(StandardCharsets.UTF_8);

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, json))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("starts with byte 0x7B ('{') instead of the magic byte 0x00");
    }

    @Test
    void shouldRejectAHeaderTooShortForASchemaId() {
        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("has only 3 bytes")
                .hasMessageContaining("at least 5");
    }

    @Test
    void shouldReportAnUnknownSchemaIdAsNotFound() {
        // Given
        byte[] bytes = {0, 0, 0, 0, 99, 2, 'x'};

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("No schema with id 99");
    }

    @Test
    void shouldReportATruncatedBodyWithItsTopic() {
        // Given a valid record cut short
        byte[] whole = new AvroSerializer<Approval>(registry).serialize(TOPIC, Approval.newBuilder()
                .setIntentId("intent-1").setApproverId("alice").setDecision(ApprovalDecision.APPROVE).build());
        byte[] truncated = Arrays.copyOf(whole, whole.length - 4);

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, truncated))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("Record on topic 'agent.approvals' (" + truncated.length + " bytes, writer schema id 1")
                .hasMessageContaining("truncated or corrupt Avro body")
                .hasCauseInstanceOf(EOFException.class);
    }

    @Test
    void shouldReportACorruptBodyAsMalformed() {
        // Given a body whose enum index is out of range: two empty strings, then index 9
        int id = registry.register("agent.approvals-value", Approval.getClassSchema());
        byte[] header = WireFormat.header(id);
        byte[] bytes = Arrays.copyOf(header, header.length + 4);
        bytes[header.length] = 0;
        bytes[header.length + 1] = 0;
        bytes[header.length + 2] = 18;
        bytes[header.length + 3] = 0;

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("truncated or corrupt Avro body");
    }

    @Test
    void shouldRejectBytesAfterTheAvroBody() {
        // Given a valid record with two bytes more, as a client that appends to a reused buffer, or a file with a newline, sends it
        byte[] whole = new AvroSerializer<Approval>(registry).serialize(TOPIC, Approval.newBuilder()
                .setIntentId("intent-1").setApproverId("alice").setDecision(ApprovalDecision.APPROVE).build());
        byte[] longer = Arrays.copyOf(whole, whole.length + 2);
        longer[whole.length] = '\r';
        longer[whole.length + 1] = '\n';

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, longer))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("Record on topic 'agent.approvals' (" + longer.length + " bytes, writer schema id 1")
                .hasMessageContaining("2 bytes after the end of its Avro body");
    }

    @Test
    void shouldRejectARecordWrittenWithMoreFieldsThanTheSchemaItsIdNames() {
        // Given an approval naming its agent (the current schema) under the id of a schema without agentId (the released v1):
        // read by that id, the agent it names would be ignored and the approval go to whichever agent decided the id last
        org.apache.avro.Schema v1 = OlderAgent.approvalSchema("""
                {"name": "intentId", "type": "string"}, {"name": "approverId", "type": "string"},
                {"name": "decision", "type": %s}, {"name": "comment", "type": ["null", "string"], "default": null}"""
                .formatted(OlderAgent.DECISION_ENUM));
        int v1Id = registry.register("agent.approvals-value", v1);
        byte[] current = new AvroSerializer<Approval>(registry).serialize(TOPIC, Approval.newBuilder()
                .setIntentId("intent-1").setApproverId("alice").setDecision(ApprovalDecision.APPROVE).setAgentId("agent-b").build());
        byte[] mislabelled = current.clone();
        System.arraycopy(WireFormat.header(v1Id), 0, mislabelled, 0, WireFormat.HEADER_SIZE);

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, mislabelled))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("after the end of its Avro body");
    }

    @Test
    void shouldRejectACollectionClaimingMoreItemsThanItsRecordHasBytes() {
        // Given a record of a few dozen bytes whose array of nulls claims 100 million items: each is zero bytes, so nothing
        // ends the loop that skips them but their count
        byte[] hostile = approvalWithNulls(100_000_000);

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, hostile))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("Record on topic 'agent.approvals' (" + hostile.length + " bytes, writer schema id ")
                .hasMessageContaining("claims more collection items than");
    }

    @Test
    void shouldReadACollectionOfEmptyItemsThatItsRecordCouldCarry() {
        // Given an array of 1,000 nulls: more items than the record has bytes, but no more than any record may hold
        byte[] padded = approvalWithNulls(1_000);

        // When
        Approval read = deserializer.deserialize(TOPIC, padded);

        // Then
        assertThat(read.getAgentId()).isEqualTo("agent-b");
    }

    /**
     * An approval in a writer's schema with a field ours does not have (compatible: it has a default), an array of nulls
     * holding {@code count} items in one block.
     */
    private byte[] approvalWithNulls(long count) {
        org.apache.avro.Schema padded = OlderAgent.approvalSchema("""
                {"name": "intentId", "type": "string"}, {"name": "approverId", "type": "string"},
                {"name": "decision", "type": %s}, {"name": "comment", "type": ["null", "string"], "default": null},
                {"name": "agentId", "type": ["null", "string"], "default": null},
                {"name": "intentSha256", "type": ["null", "string"], "default": null},
                {"name": "padding", "type": {"type": "array", "items": "null"}, "default": []}"""
                .formatted(OlderAgent.DECISION_ENUM));
        int paddedId = registry.register("agent.approvals-value", padded);
        byte[] current = new AvroSerializer<Approval>(registry).serialize(TOPIC, Approval.newBuilder()
                .setIntentId("intent-1").setApproverId("alice").setDecision(ApprovalDecision.APPROVE).setAgentId("agent-b").build());
        byte[] block = zigZagVarint(count);
        // The padding is the last field: its block count, its items (none has a byte), and the 0 that ends the array.
        byte[] bytes = Arrays.copyOf(current, current.length + block.length + 1);
        System.arraycopy(WireFormat.header(paddedId), 0, bytes, 0, WireFormat.HEADER_SIZE);
        System.arraycopy(block, 0, bytes, current.length, block.length);
        return bytes;
    }

    private static byte[] zigZagVarint(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while ((zigZag & ~0x7FL) != 0) {
            bytes.write((int) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        bytes.write((int) zigZag);
        return bytes.toByteArray();
    }

    @Test
    void shouldWriteTheSchemaIdBigEndianAfterTheMagicByte() {
        // When
        byte[] header = WireFormat.header(0x01020304);

        // Then
        assertThat(header).containsExactly(0, 1, 2, 3, 4);
        assertThat(WireFormat.schemaId(TOPIC, header)).isEqualTo(0x01020304);
    }
}
