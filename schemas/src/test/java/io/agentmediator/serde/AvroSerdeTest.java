package io.agentmediator.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.registry.CachingSchemaRegistryClient;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaCache;
import io.agentmediator.registry.SchemaNotFoundException;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "agent.approvals";
    private static final Map<String, String> MOCK = Map.of("schema.registry.url", "mock://serde-test");

    private final Approval approval = Approval.newBuilder()
            .setIntentId("intent-1")
            .setApproverId("alice")
            .setDecision(ApprovalDecision.APPROVE)
            .setComment("looks fine")
            .build();

    @AfterEach
    void dropScopes() {
        SchemaRegistryClients.dropScope("serde-test");
        SchemaRegistryClients.dropScope("serde-other");
    }

    @Test
    void shouldRoundTripARecordThroughTheMockRegistry() {
        // Given
        try (AvroSerde<Approval> serde = new AvroSerde<>(Approval.class)) {
            serde.configure(MOCK, false);

            // When
            byte[] bytes = serde.serializer().serialize(TOPIC, approval);
            Approval read = serde.deserializer().deserialize(TOPIC, bytes);

            // Then
            assertThat(read).isEqualTo(approval);
            assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
            assertThat(WireFormat.schemaId(TOPIC, bytes)).isEqualTo(1);
        }
    }

    @Test
    void shouldShareTheMockRegistryBetweenSeparatelyConfiguredSerdes() {
        // Given a producer (say, the demo) and a consumer (the app) configured independently
        AvroSerializer<Approval> producer = new AvroSerializer<>();
        producer.configure(MOCK, false);
        AvroDeserializer<Approval> consumer = new AvroDeserializer<>(Approval.class);
        consumer.configure(MOCK, false);

        // When
        Approval read = consumer.deserialize(TOPIC, producer.serialize(TOPIC, approval));

        // Then
        assertThat(read).isEqualTo(approval);
        assertThat(SchemaRegistryClients.forUrl("mock://serde-test", Map.of())
                .idOf("agent.approvals-value", Approval.getClassSchema())).isEqualTo(1);
    }

    @Test
    void shouldNotReadAcrossMockScopes() {
        // Given
        AvroSerializer<Approval> producer = new AvroSerializer<>();
        producer.configure(MOCK, false);
        AvroDeserializer<Approval> consumer = new AvroDeserializer<>(Approval.class);
        consumer.configure(Map.of("schema.registry.url", "mock://serde-other"), false);
        byte[] bytes = producer.serialize(TOPIC, approval);

        // When / Then
        assertThatThrownBy(() -> consumer.deserialize(TOPIC, bytes)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void shouldRegisterKeysUnderTheKeySubject() {
        // Given
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("mock://keys");
        AvroSerializer<Approval> serializer = new AvroSerializer<>(registry);
        serializer.configure(Map.of(), true);

        // When
        serializer.serialize(TOPIC, approval);

        // Then
        assertThat(registry.idOf("agent.approvals-key", Approval.getClassSchema())).isEqualTo(1);
        assertThatThrownBy(() -> registry.idOf("agent.approvals-value", Approval.getClassSchema()))
                .isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void shouldPassNullThrough() {
        // Given a tombstone
        SchemaRegistryClient registry = new InMemorySchemaRegistry("mock://nulls");

        // When / Then
        assertThat(new AvroSerializer<Approval>(registry).serialize(TOPIC, null)).isNull();
        assertThat(new AvroDeserializer<>(Approval.class, registry).deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldOnlyLookTheSchemaUpWhenAutoRegistrationIsOff() {
        // Given
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("mock://release-managed");
        AvroSerializer<Approval> serializer = new AvroSerializer<>(registry);
        serializer.configure(Map.of("auto.register.schemas", "false"), false);

        // When / Then: refused while nobody registered the schema, accepted once someone has
        assertThatThrownBy(() -> serializer.serialize(TOPIC, approval))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("agent.approvals-value");
        int id = registry.register("agent.approvals-value", Approval.getClassSchema());
        assertThat(WireFormat.schemaId(TOPIC, serializer.serialize(TOPIC, approval))).isEqualTo(id);
    }

    @Test
    void shouldRefuseAnAutoRegisterValueThatIsNotABoolean() {
        // Given
        AvroSerializer<Approval> serializer = new AvroSerializer<>(new InMemorySchemaRegistry("mock://typo"));

        // When / Then
        assertThatThrownBy(() -> serializer.configure(Map.of("auto.register.schemas", "ture"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("auto.register.schemas must be true or false, got 'ture'");
    }

    @Test
    void shouldExplainWhatIsMissingBeforeConfiguration() {
        // When / Then
        assertThatThrownBy(() -> new AvroSerializer<Approval>().serialize(TOPIC, approval))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new AvroSerde<>(Approval.class).configure(Map.of(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.registry.url is required");
    }

    @Test
    void shouldReportARecordThatCannotBeEncodedAsMalformed() {
        // Given an approval without its required approver
        Approval incomplete = new Approval();
        incomplete.setIntentId("intent-1");
        incomplete.setDecision(ApprovalDecision.DENY);
        AvroSerializer<Approval> serializer = new AvroSerializer<>(new InMemorySchemaRegistry("mock://bad"));

        // When / Then
        assertThatThrownBy(() -> serializer.serialize(TOPIC, incomplete))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("Cannot encode io.agentmediator.schema.Approval for topic 'agent.approvals'")
                .hasMessageContaining("approverId");
    }

    @Test
    void shouldLetAnUnavailableRegistrySurfaceAsItself() throws IOException {
        // Given a registry that refuses connections
        String deadUrl;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadUrl = "http://127.0.0.1:" + socket.getLocalPort();
        }
        AvroSerializer<Approval> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", deadUrl), false);

        // When / Then: retriable, and still a SerializationException for Kafka's handlers
        assertThatThrownBy(() -> serializer.serialize(TOPIC, approval))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .isInstanceOf(SerializationException.class);
    }
    @Test
    void shouldAskTheRegistryAgainForASchemaOnceRecordsHaveNamedMoreIdsThanAreKept() {
        // Given a registry holding more writer schemas of approvals than a cache keeps, counting the lookups by id
        InMemorySchemaRegistry held = new InMemorySchemaRegistry("mock://many-schemas");
        Map<Integer, Integer> lookups = new HashMap<>();
        SchemaRegistryClient counting = new io.agentmediator.registry.SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                return held.register(subject, schema);
            }

            @Override
            public int idOf(String subject, Schema schema) {
                return held.idOf(subject, schema);
            }

            @Override
            public Schema schemaById(int id) {
                lookups.merge(id, 1, Integer::sum);
                return held.schemaById(id);
            }
        };
        AvroSerializer<Approval> serializer = new AvroSerializer<>(held);
        AvroDeserializer<Approval> deserializer = new AvroDeserializer<>(Approval.class,
                new CachingSchemaRegistryClient(counting));
        byte[] approval = serializer.serialize("agent.approvals", Approval.newBuilder().setIntentId("intent-1").setApproverId("alice")
                .setDecision(ApprovalDecision.APPROVE).build());
        int first = held.register("agent.approvals-value", withExtraField(0));
        int count = SchemaCache.MAX_ENTRIES + 2;
        for (int n = 1; n < count; n++) {
            held.register("agent.approvals-value", withExtraField(n));
        }

        // When records name each of them in turn, then the first again
        for (int id = first; id < first + count; id++) {
            deserializer.deserialize("agent.approvals", withNullExtra(approval, id));
        }
        deserializer.deserialize("agent.approvals", withNullExtra(approval, first));

        // Then the first was asked for twice: neither cache kept every schema named
        assertThat(lookups.get(first)).isEqualTo(2);
        assertThat(lookups.get(first + count - 1)).isEqualTo(1);
    }

    /** Approval with a last field {@code extra<n>}, an optional int. */
    private static Schema withExtraField(int n) {
        List<Schema.Field> fields = new ArrayList<>();
        Approval.getClassSchema().getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("extra" + n, Schema.createUnion(
                Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.INT)),
                null, Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord("Approval", null, Approval.getClassSchema().getNamespace(), false, fields);
    }

    /** {@code record} under {@code schemaId}, one of {@link #withExtraField}'s: its extra field null (union index 0). */
    private static byte[] withNullExtra(byte[] record, int schemaId) {
        byte[] copy = Arrays.copyOf(record, record.length + 1);
        System.arraycopy(WireFormat.header(schemaId), 0, copy, 0, WireFormat.HEADER_SIZE);
        return copy;
    }
}
