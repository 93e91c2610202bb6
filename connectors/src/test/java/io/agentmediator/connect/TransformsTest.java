package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.serde.AvroSerializer;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audit connector's whole transform chain, as {@code audit-sql-sink.json} configures it, over case files read by
 * the converter: the row the JDBC sink receives.
 */
class TransformsTest {

    private static final String SCOPE = "transforms-test";
    private static final String TOPIC = "agent.audit";

    @AfterEach
    void dropRegistry() {
        SchemaRegistryClients.dropScope(SCOPE);
    }

    @Test
    void shouldShapeACaseFileIntoTheAuditTrailColumnsAndItsJson() throws Exception {
        // Given a decided, approved and completed case file
        SinkRecord record = read(SampleCaseFile.approvedAndCompleted());

        // When the audit connector's transforms run
        Struct row = (Struct) auditChain().apply(record).value();

        // Then the queryable columns are flat, and the whole case file is kept as JSON for jsonb
        assertThat(row.schema().fields()).extracting(f -> f.name()).containsExactly("agent_id", "correlation_id", "stage", "action",
                "target", "cost_micros", "commitment_micros", "outcome", "tier", "reasons", "policy_version", "decided_at", "decided_by",
                "outcome_status", "actual_cost_micros", "updated_at", "case_file", "first_reason");
        assertThat(row.get("first_reason")).isEqualTo("APPROVED");
        assertThat(row.getArray("reasons")).containsExactly("APPROVED", "OVER_AUTHORITY");
        assertThat(row.get("decided_by")).isEqualTo("maria");
        assertThat(row.get("outcome_status")).isEqualTo("COMPLETED");
        assertThat(row.get("commitment_micros")).isEqualTo(6_000_000_000L);
        Schema json = row.schema().field("case_file").schema();
        assertThat(json.name()).isEqualTo("io.debezium.data.Json");
        assertThat(json.parameters()).containsEntry("__debezium.source.column.type", "JSONB");
        JsonNode caseFile = new ObjectMapper().readTree(row.getString("case_file"));
        assertThat(caseFile.path("timeline").get(1).path("actor").asText()).isEqualTo("maria");
        assertThat(caseFile.path("updatedAt").asLong()).isEqualTo(SampleCaseFile.UPDATED.toEpochMilli());
    }

    @Test
    void shouldLeaveTheDecisionColumnsEmptyForACaseFileNotYetDecided() {
        Struct row = (Struct) auditChain().apply(read(SampleCaseFile.received())).value();

        assertThat(row.get("outcome")).isNull();
        assertThat(row.get("first_reason")).isNull();
        assertThat(row.get("reasons")).isNull();
        assertThat(row.get("cost_micros")).isNull();
        assertThat(row.getWithoutDefault("commitment_micros")).as("null, not the Avro default 0 of an absent intent").isNull();
        assertThat(row.get("stage")).isEqualTo("RECEIVED");
    }

    @Test
    void shouldPassATombstoneThroughSoThatTheSinkDeletesTheRow() {
        SinkRecord tombstone = new SinkRecord(TOPIC, 0, Schema.STRING_SCHEMA, "inv-42", null, null, 7);

        SinkRecord out = auditChain().apply(tombstone);

        assertThat(((Struct) out.key()).get("intent_id")).isEqualTo("inv-42");
        assertThat(out.value()).isNull();
    }

    @Test
    void shouldRefuseAReasonsFieldThatIsNotAListOfCodedReasons() {
        ReasonCodes<SinkRecord> reasons = new ReasonCodes<>();
        reasons.configure(Map.of(ReasonCodes.FIELD_CONFIG, "stage"));

        assertThatThrownBy(() -> reasons.apply(read(SampleCaseFile.received())))
                .isInstanceOf(DataException.class).hasMessageContaining("'stage'").hasMessageContaining(TOPIC);
    }

    private static SinkRecord read(AuditRecord caseFile) {
        String url = "mock://" + SCOPE;
        byte[] bytes;
        try (AvroSerializer<AuditRecord> serializer = new AvroSerializer<>(SchemaRegistryClients.forUrl(url, Map.of()))) {
            bytes = serializer.serialize(TOPIC, caseFile);
        }
        RegistryAvroConverter converter = new RegistryAvroConverter();
        converter.configure(Map.of("schema.registry.url", url), false);
        SchemaAndValue value = converter.toConnectData(TOPIC, bytes);
        return new SinkRecord(TOPIC, 0, Schema.STRING_SCHEMA, caseFile.getIntentId(), value.schema(), value.value(), 7);
    }

    /** The transforms of audit-sql-sink.json, configured from the file itself. */
    private static Transformation<SinkRecord> auditChain() {
        Map<String, String> config = ConnectorConfigs.load(ConnectorConfigs.AUDIT, Map.of(ConnectorConfigs.REGISTRY_URL, "mock://x",
                ConnectorConfigs.JDBC_URL, "jdbc:postgresql://db/audit", ConnectorConfigs.USER, "u", ConnectorConfigs.PASSWORD, "p")).config();
        return TransformChain.of(config);
    }
}
