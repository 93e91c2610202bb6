package io.agentmediator.serde;

import static io.agentmediator.serde.OlderAgent.DECISION_ENUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

/** An agent on another version of a schema than ours: Avro's writer-to-reader resolution. */
class SchemaEvolutionTest {

    private static final String TOPIC = "agent.approvals";
    private static final String SUBJECT = "agent.approvals-value";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("mock://evolution");
    private final AvroDeserializer<Approval> deserializer = new AvroDeserializer<>(Approval.class, registry);

    @Test
    void shouldReadARecordWrittenBeforeAFieldWithADefaultWasAdded() {
        // Given v1 of Approval, before the optional comment was added
        Schema v1 = OlderAgent.approvalSchema("""
                {"name": "intentId", "type": "string"},
                {"name": "approverId", "type": "string"},
                {"name": "decision", "type": %s}""".formatted(DECISION_ENUM));
        int v1Id = registry.register(SUBJECT, v1);
        byte[] bytes = OlderAgent.write(v1Id, OlderAgent.record(v1, "intentId", "intent-7", "approverId", "bob",
                "decision", new GenericData.EnumSymbol(v1.getField("decision").schema(), "DENY")));

        // When
        Approval read = deserializer.deserialize(TOPIC, bytes);

        // Then
        assertThat(read.getIntentId()).isEqualTo("intent-7");
        assertThat(read.getApproverId()).isEqualTo("bob");
        assertThat(read.getDecision()).isEqualTo(ApprovalDecision.DENY);
        assertThat(read.getComment()).as("the added field's default").isNull();
    }

    @Test
    void shouldReadARecordWrittenWithAFieldWeDoNotKnowYet() {
        // Given a newer Approval with an extra field
        Schema v3 = OlderAgent.approvalSchema("""
                {"name": "intentId", "type": "string"},
                {"name": "approverId", "type": "string"},
                {"name": "decision", "type": %s},
                {"name": "comment", "type": ["null", "string"], "default": null},
                {"name": "channel", "type": "string", "default": "cli"}""".formatted(DECISION_ENUM));
        int v3Id = registry.register(SUBJECT, v3);
        byte[] bytes = OlderAgent.write(v3Id, OlderAgent.record(v3, "intentId", "intent-8", "approverId", "carol",
                "decision", new GenericData.EnumSymbol(v3.getField("decision").schema(), "APPROVE"),
                "comment", "ok", "channel", "slack"));

        // When
        Approval read = deserializer.deserialize(TOPIC, bytes);

        // Then
        assertThat(read.getApproverId()).isEqualTo("carol");
        assertThat(read.getComment()).isEqualTo("ok");
    }

    @Test
    void shouldExplainWhyAWriterSchemaCannotBeRead() {
        // Given a writer without approverId, which our schema requires and has no default for
        Schema withoutApprover = OlderAgent.approvalSchema("""
                {"name": "intentId", "type": "string"},
                {"name": "decision", "type": %s}""".formatted(DECISION_ENUM));
        int id = registry.register(SUBJECT, withoutApprover);
        byte[] bytes = OlderAgent.write(id, OlderAgent.record(withoutApprover, "intentId", "intent-9",
                "decision", new GenericData.EnumSymbol(withoutApprover.getField("decision").schema(), "DENY")));

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("Record on topic 'agent.approvals'")
                .hasMessageContaining("writer schema id " + id)
                .hasMessageContaining("cannot be read as io.agentmediator.schema.Approval")
                .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
                .hasMessageContaining("approverId");
    }

    @Test
    void shouldExplainARecordOfAnotherTypeOnTheTopic() {
        // Given an agent publishing a different record to this topic
        Schema ping = new Schema.Parser().parse("""
                {"type": "record", "name": "Ping", "namespace": "elsewhere", "fields": [{"name": "n", "type": "int"}]}""");
        int id = registry.register(SUBJECT, ping);
        byte[] bytes = OlderAgent.write(id, OlderAgent.record(ping, "n", 1));

        // When / Then
        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining("elsewhere.Ping")
                .hasMessageContaining("NAME_MISMATCH");
    }
}
