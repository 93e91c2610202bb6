package io.agentmediator.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

/** Avro 1.12.2 refuses to load untrusted classes; the serdes trust only their own. */
class GeneratedClassTrustTest {

    @Test
    void shouldTrustTheGeneratedClassesAReaderIsGiven() {
        // When
        new AvroDeserializer<>(Approval.class, new InMemorySchemaRegistry("mock://trust"));

        // Then the record and the enum it contains
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(Approval.class)).isTrue();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(ApprovalDecision.class)).isTrue();
    }

    @Test
    void shouldNotTrustAClassNamedOnlyByAWriterSchema() {
        // Given a writer schema, which an outsider controls, naming a class of ours
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("mock://trust");
        Schema namingOurClass = new Schema.Parser().parse("""
                {"type": "record", "name": "OlderAgent", "namespace": "io.agentmediator.serde",
                 "fields": [{"name": "n", "type": "int"}]}""");
        int id = registry.register("agent.approvals-value", namingOurClass);
        byte[] bytes = OlderAgent.write(id, OlderAgent.record(namingOurClass, "n", 1));
        AvroDeserializer<Approval> deserializer = new AvroDeserializer<>(Approval.class, registry);

        // When
        assertThatThrownBy(() -> deserializer.deserialize("agent.approvals", bytes))
                .isInstanceOf(IncompatibleSchemaException.class);

        // Then
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(OlderAgent.class)).isFalse();
    }
}
