package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.serde.WireFormat;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.KafkaTestClients;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline against a schema registry nobody here wrote (Apicurio Registry, speaking the
 * Confluent API), with agents and executors that use their own registry clients, as they would
 * in another process or language.
 */
@Tag("slow")
class RealRegistryPipelineIT {

    /** What an agent built against an early contract writes: no optional fields at all. */
    private static final Schema OLDER_INTENT = new Schema.Parser().parse("""
            {"type":"record","name":"AgentIntent","namespace":"io.agentmediator.schema","fields":[
              {"name":"intentId","type":"string"},{"name":"agentId","type":"string"},
              {"name":"action","type":"string"},{"name":"target","type":"string"},
              {"name":"costMicros","type":"long"},{"name":"confidence","type":"double"}]}""");

    private static EmbeddedKafkaBroker broker;
    private static ApicurioRegistry registry;
    private static MediatorApp app;
    @TempDir static Path stateDir;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        registry = ApicurioRegistry.start();
        MediatorConfig config =
                MediatorConfig.defaults()
                        .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                        .with(ConfigKeys.STATE_DIR, stateDir.toString())
                        .with(ConfigKeys.HTTP_PORT, "0")
                        .with(ConfigKeys.SCHEMA_REGISTRY_URL, registry.ccompatUrl())
                        .with(ConfigKeys.APPLICATION_ID, "real-registry-it");
        app = MediatorApp.start(config, new HealthState());
        app.awaitRunning(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldDecideIntentsAgentsRegisteredThemselvesAndPublishDecisionsExecutorsCanRead() throws Exception {
        String intents = app.topics().intents().name();
        AvroSerde<AgentIntent> agentSerde = configured(new AvroSerde<>(AgentIntent.class));

        send(intents, "finance-analyst", agentSerde.serializer().serialize(intents, intent("reg-1", "finance-analyst")));
        send(intents, "shadow-agent", agentSerde.serializer().serialize(intents, intent("reg-2", "shadow-agent")));

        Map<String, Decision> decisions = decisionsFor(List.of("reg-1", "reg-2"));
        assertThat(decisions.get("reg-1").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(decisions.get("reg-2").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(subjects())
                .contains(
                        intents + "-value",
                        app.topics().execute().name() + "-value",
                        app.topics().reject().name() + "-value",
                        app.topics().audit().name() + "-value");
    }

    @Test
    void shouldReadAnIntentWrittenWithAnOlderSchemaVersion() throws Exception {
        String intents = app.topics().intents().name();
        HttpSchemaRegistryClient agentClient = HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of());
        int olderId = agentClient.register(intents + "-value", OLDER_INTENT);
        GenericRecord older = new GenericData.Record(OLDER_INTENT);
        older.put("intentId", "old-1");
        older.put("agentId", "finance-analyst");
        older.put("action", "invoice.create");
        older.put("target", "erp");
        older.put("costMicros", 5_000L);
        older.put("confidence", 0.9);

        send(intents, "finance-analyst", wireFormat(olderId, older));

        Decision decision = decisionsFor(List.of("old-1")).get("old-1");
        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(decision.getCorrelationId()).isEqualTo("old-1");
    }

    @Test
    void shouldDeadLetterARecordNamingASchemaIdTheRegistryNeverIssued() {
        String intents = app.topics().intents().name();

        send(intents, "finance-analyst", new byte[] {0, 0x0f, 0x0f, 0x0f, 0x0f, 2, 'x'});

        List<ConsumerRecord<byte[], byte[]>> dead =
                KafkaTestClients.readCommitted(
                        broker.bootstrapServers(), List.of(app.topics().intentsDlq().name()), 1, Duration.ofSeconds(60));
        assertThat(dead).singleElement().satisfies(record ->
                assertThat(new String(record.headers().lastHeader(DeadLetterHeaders.ERROR_CLASS).value(), StandardCharsets.UTF_8))
                        .endsWith("SchemaNotFoundException"));
        assertThat(app.health().problems()).noneMatch(p -> p.contains("registry"));
    }

    private static <T extends AvroSerde<?>> T configured(T serde) {
        serde.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
        return serde;
    }

    private static void send(String topic, String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
        }
    }

    private static Map<String, Decision> decisionsFor(List<String> intentIds) {
        AvroSerde<Decision> executorSerde = configured(new AvroSerde<>(Decision.class));
        List<String> topics = app.topics().decisions().stream().map(t -> t.name()).toList();
        Map<String, Decision> found = new java.util.HashMap<>();
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!found.keySet().containsAll(intentIds) && System.nanoTime() - giveUpAt < 0) {
            for (ConsumerRecord<byte[], byte[]> record :
                    KafkaTestClients.readCommitted(broker.bootstrapServers(), topics, Integer.MAX_VALUE, Duration.ofSeconds(2))) {
                Decision decision = executorSerde.deserializer().deserialize(record.topic(), record.value());
                if (intentIds.contains(decision.getIntentId())) {
                    assertThat(found.put(decision.getIntentId(), decision)).as("one decision per intent").isNull();
                }
            }
            if (!found.keySet().containsAll(intentIds)) {
                found.clear();
            }
        }
        assertThat(found).containsOnlyKeys(intentIds);
        return found;
    }

    private static List<String> subjects() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registry.ccompatUrl() + "/subjects")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return List.of(response.body().replaceAll("[\\[\\]\"]", "").split(","));
    }

    private static byte[] wireFormat(int schemaId, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(WireFormat.header(schemaId));
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static AgentIntent intent(String intentId, String agentId) {
        return AgentIntent.newBuilder()
                .setIntentId(intentId)
                .setAgentId(agentId)
                .setAction("invoice.create")
                .setTarget("erp")
                .setCostMicros(1_000_000L)
                .setConfidence(0.9)
                .build();
    }
}
