package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.serde.AvroSerializer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connectors' whole transform chains, as {@code audit-sql-sink.json} and {@code decisions-sql-sink.json} configure
 * them, over case files and decisions read by the converter: the rows the JDBC sink receives.
 */
class TransformsTest {

    private static final String SCOPE = "transforms-test";
    private static final String TOPIC = "agent.audit";
    /** How a NUL reads in PostgreSQL: the six characters of its escape. */
    private static final String ESCAPE = "\\u0000";

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
    void shouldWriteEveryNulCharacterOfACaseFileAsItsEscapeForPostgresql() throws Exception {
        // Given a case file with NUL characters from the agent (its id, the record key too, action, reasoning,
        // attributes) and from the executor (the outcome's detail)
        SinkRecord record = read(SampleCaseFile.withNulCharacters());

        // When the audit connector's transforms run
        SinkRecord out = auditChain().apply(record);

        // Then no text of the row holds a NUL, neither in a column nor in the JSON: each shows as its escape
        Struct row = (Struct) out.value();
        assertThat(((Struct) out.key()).get("intent_id")).isEqualTo("untrusted:agent.intents-0@7:inv" + ESCAPE + "42");
        assertThat(row.get("action")).isEqualTo("invoice" + ESCAPE + ".create");
        assertThat(texts(row)).isNotEmpty().noneMatch(text -> text.contains(SampleCaseFile.NUL));
        JsonNode caseFile = new ObjectMapper().readTree(row.getString("case_file"));
        assertThat(jsonTexts(caseFile)).noneMatch(text -> text.contains(SampleCaseFile.NUL));
        assertThat(caseFile.path("intent").path("reasoning").asText()).isEqualTo("because" + ESCAPE);
        assertThat(caseFile.path("intent").path("attributes").path("po" + ESCAPE).asText()).isEqualTo("PO-" + ESCAPE + "7");
        assertThat(caseFile.path("outcome").path("detail").asText()).isEqualTo("posted" + ESCAPE);
    }

    /** One of them had been dropped from the row without a word, though the topic and the policy's rules have both. */
    @Test
    void shouldKeepBothOfTwoAttributesThatReadTheSameOnceNulIsEscaped() throws Exception {
        // Given an intent whose attributes hold "po" and a NUL, then "po" and the six characters of its escape
        AuditRecord base = SampleCaseFile.withNulCharacters();
        Map<String, String> attributes = new LinkedHashMap<>(base.getIntent().getAttributes());
        attributes.put("po" + ESCAPE, "PO-2");
        AuditRecord caseFile = AuditRecord.newBuilder(base)
                .setIntent(AgentIntent.newBuilder(base.getIntent()).setAttributes(attributes).build()).build();

        // When the audit connector's transforms run
        Struct row = (Struct) auditChain().apply(read(caseFile)).value();

        // Then the row keeps both, the later told apart by a backslash in front
        JsonNode landed = new ObjectMapper().readTree(row.getString("case_file")).path("intent").path("attributes");
        assertThat(landed.size()).isEqualTo(2);
        assertThat(landed.path("po" + ESCAPE).asText()).isEqualTo("PO-" + ESCAPE + "7");
        assertThat(landed.path("\\po" + ESCAPE).asText()).isEqualTo("PO-2");
    }

    @Test
    void shouldWriteEveryNulCharacterOfADecisionAsItsEscapeForPostgresql() {
        // Given a decision on an intent whose id, action and target hold NUL characters
        SinkRecord record = read("agent.decisions.reject", "finance-analyst", SampleCaseFile.decisionWithNulCharacters());

        // When the decisions connector's transforms run
        Struct row = (Struct) chain(ConnectorConfigs.DECISIONS).apply(record).value();

        // Then its columns show the escape instead
        assertThat(texts(row)).isNotEmpty().noneMatch(text -> text.contains(SampleCaseFile.NUL));
        assertThat(row.get("intent_id")).isEqualTo("inv" + ESCAPE + "42");
        assertThat(row.get("target")).isEqualTo("erp" + ESCAPE);
    }

    @Test
    void shouldRefuseAReasonsFieldThatIsNotAListOfCodedReasons() {
        ReasonCodes<SinkRecord> reasons = new ReasonCodes<>();
        reasons.configure(Map.of(ReasonCodes.FIELD_CONFIG, "stage"));

        assertThatThrownBy(() -> reasons.apply(read(SampleCaseFile.received())))
                .isInstanceOf(DataException.class).hasMessageContaining("'stage'").hasMessageContaining(TOPIC);
    }

    private static SinkRecord read(AuditRecord caseFile) {
        return read(TOPIC, caseFile.getIntentId(), caseFile);
    }

    private static <T extends SpecificRecord> SinkRecord read(String topic, String key, T value) {
        String url = "mock://" + SCOPE;
        byte[] bytes;
        try (AvroSerializer<T> serializer = new AvroSerializer<>(SchemaRegistryClients.forUrl(url, Map.of()))) {
            bytes = serializer.serialize(topic, value);
        }
        RegistryAvroConverter converter = new RegistryAvroConverter();
        converter.configure(Map.of("schema.registry.url", url), false);
        SchemaAndValue connect = converter.toConnectData(topic, bytes);
        return new SinkRecord(topic, 0, Schema.STRING_SCHEMA, key, connect.schema(), connect.value(), 7);
    }

    /** The transforms of audit-sql-sink.json, configured from the file itself. */
    private static Transformation<SinkRecord> auditChain() {
        return chain(ConnectorConfigs.AUDIT);
    }

    private static Transformation<SinkRecord> chain(String file) {
        Map<String, String> config = ConnectorConfigs.load(file, Map.of(ConnectorConfigs.REGISTRY_URL, "mock://x",
                ConnectorConfigs.JDBC_URL, "jdbc:postgresql://db/audit", ConnectorConfigs.USER, "u", ConnectorConfigs.PASSWORD, "p")).config();
        return TransformChain.of(config);
    }

    /** Every text in a Connect value, at any depth: strings, and the keys and values of maps. */
    private static List<String> texts(Object value) {
        List<String> texts = new ArrayList<>();
        if (value instanceof String text) {
            texts.add(text);
        } else if (value instanceof Struct struct) {
            struct.schema().fields().forEach(field -> texts.addAll(texts(struct.getWithoutDefault(field.name()))));
        } else if (value instanceof List<?> list) {
            list.forEach(item -> texts.addAll(texts(item)));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> {
                texts.addAll(texts(key));
                texts.addAll(texts(item));
            });
        }
        return texts;
    }

    /** Every text in a JSON tree: string values and field names. */
    private static List<String> jsonTexts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isTextual()) {
            texts.add(node.asText());
        }
        node.fieldNames().forEachRemaining(texts::add);
        node.elements().forEachRemaining(child -> texts.addAll(jsonTexts(child)));
        return texts;
    }
}
