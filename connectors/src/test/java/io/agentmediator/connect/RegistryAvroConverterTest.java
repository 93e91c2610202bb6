package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.serde.AvroSerializer;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryAvroConverterTest {

    private static final String SCOPE = "registry-avro-converter-test";
    private static final String URL = "mock://" + SCOPE;
    private static final String TOPIC = "agent.audit";

    @AfterEach
    void dropRegistry() {
        SchemaRegistryClients.dropScope(SCOPE);
    }

    @Test
    void shouldReadACaseFileWrittenByOurSerializerIntoAConnectStruct() {
        // Given a case file in the Confluent wire format, its schema in the registry
        byte[] bytes = serialized(SampleCaseFile.approvedAndCompleted());

        // When the converter reads it
        SchemaAndValue read = converter().toConnectData(TOPIC, bytes);

        // Then the nested record, enums, unions and timestamps are Connect data
        Struct value = (Struct) read.value();
        assertThat(value.getString("intentId")).isEqualTo("inv-42");
        assertThat(value.get("stage")).isEqualTo("COMPLETED");
        Struct decision = value.getStruct("decision");
        assertThat(decision.get("decidedAt")).isEqualTo(Date.from(SampleCaseFile.APPROVED));
        assertThat(decision.getArray("reasons")).extracting(reason -> ((Struct) reason).get("code")).containsExactly("APPROVED", "OVER_AUTHORITY");
        assertThat(value.getStruct("intent").getInt64("commitmentMicros")).isEqualTo(6_000_000_000L);
        assertThat(value.getStruct("outcome").getInt64("actualCostMicros")).isEqualTo(900_000L);
        assertThat(read.schema().field("decision").schema().isOptional()).isTrue();
    }

    @Test
    void shouldReadAbsentOptionalPartsAsNulls() {
        SchemaAndValue read = converter().toConnectData(TOPIC, serialized(SampleCaseFile.received()));

        Struct value = (Struct) read.value();
        assertThat(value.get("decision")).isNull();
        assertThat(value.get("intent")).isNull();
        assertThat(value.getArray("timeline")).isEmpty();
    }

    @Test
    void shouldReadATombstoneAsNull() {
        assertThat(converter().toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
    }

    @Test
    void shouldRefuseBytesThatAreNotInTheWireFormatNamingTheTopic() {
        assertThatThrownBy(() -> converter().toConnectData(TOPIC, "{\"intentId\":\"x\"}".getBytes()))
                .isInstanceOf(DataException.class).hasMessageContaining(TOPIC).hasMessageContaining("magic byte");
    }

    @Test
    void shouldWriteWhatItReadsSoThatItReadsBackTheSame() {
        // Given a case file read into Connect data
        RegistryAvroConverter converter = converter();
        SchemaAndValue read = converter.toConnectData(TOPIC, serialized(SampleCaseFile.approvedAndCompleted()));

        // When it is written back and read again
        byte[] written = converter.fromConnectData("copy", read.schema(), read.value());

        // Then nothing was lost
        assertThat(converter.toConnectData("copy", written).value()).isEqualTo(read.value());
    }

    private static RegistryAvroConverter converter() {
        RegistryAvroConverter converter = new RegistryAvroConverter();
        converter.configure(Map.of("schema.registry.url", URL), false);
        return converter;
    }

    private static byte[] serialized(AuditRecord record) {
        try (AvroSerializer<AuditRecord> serializer = new AvroSerializer<>(SchemaRegistryClients.forUrl(URL, Map.of()))) {
            return serializer.serialize(TOPIC, record);
        }
    }
}
