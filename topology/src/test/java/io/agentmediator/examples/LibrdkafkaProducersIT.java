package io.agentmediator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.controls.Control;
import io.agentmediator.controls.ControlAction;
import io.agentmediator.controls.ControlPublisher;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.json.JsonText;
import io.agentmediator.placement.KeyPartitioning;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records as librdkafka (Debian's python3-confluent-kafka, run as its own process) sends them: a negative
 * CreateTime, which Java's producer never sends, every compression type, CRC32 partitioning, a value read
 * from a file with its newline. The mediator runs in process on the embedded broker; Python only writes the
 * bytes the test hands it.
 */
@Tag("slow")
class LibrdkafkaProducersIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path PRODUCER = Path.of("src", "test", "resources", "python", "produce_records.py");
    private static final String SCOPE = "librdkafka-producers-it";
    private static final String AGENT = "py-analyst";
    private static final String POLICY = """
            version: "librdkafka-it-1"
            defaults: { minConfidence: 0.5 }
            tiers: [MANAGER]
            agents:
              - { id: py-analyst, capabilities: { actions: ["*"], targets: ["*"] }, budgets: [ { window: MONTH, limitMicros: 1000000000 } ] }
              - { id: py-booker, capabilities: { actions: ["*"], targets: ["*"] }, budgets: [ { window: MONTH, limitMicros: 1000000000 } ] }
            """;

    @TempDir Path dir;
    private EmbeddedKafkaBroker broker;
    private MediatorApp app;
    private Topics topics;
    private MediatorConfig config;

    @BeforeEach
    void startMediator() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        broker = EmbeddedKafkaBroker.start();
        config = MediatorConfig.defaults()
                .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                .with(ConfigKeys.APPLICATION_ID, SCOPE)
                .with(ConfigKeys.TOPIC_PARTITIONS, "3")
                .with(ConfigKeys.POLICY_FILE, policy.toString())
                .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                .with(ConfigKeys.HTTP_PORT, "0");
        app = MediatorApp.start(config, new HealthState());
        app.awaitRunning(Duration.ofSeconds(60));
        topics = app.topics();
    }

    @AfterEach
    void stopMediator() {
        try {
            if (app != null) {
                app.close();
            }
            if (broker != null) {
                broker.close();
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    @Test
    void shouldPutInForceAPolicyWithANegativeTimestampAndGoOnDecidingCompressedIntents() throws Exception {
        // Given a policy document whose producer gave it the timestamp -5, which the CreateTime policies topic keeps
        PolicyDocument v2 = PolicyDocument.newBuilder(PolicyCodec.toAvro(PolicySource.load(dir.resolve("policy.yaml").toString()).policy()))
                .setVersion("librdkafka-it-2").build();
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        records.add(record(topics.policies().name(), "default", topics.policySerde().serializer().serialize(topics.policies().name(), v2))
                .put("timestamp", -5));
        // And intents after it, one per compression type, placed by librdkafka's CRC32 partitioner
        List<String> compressions = List.of("none", "gzip", "snappy", "lz4", "zstd");
        for (String compression : compressions) {
            records.add(record(topics.intents().name(), AGENT, intent("c-" + compression)).put("compression", compression));
        }

        // When Python sends them
        List<JsonNode> delivered = produce(records);
        assertThat(delivered).hasSize(records.size());
        assertThat(delivered.get(0).get("timestamp").asLong()).as("the broker kept the negative timestamp").isEqualTo(-5);

        // Then the policy is in force and every intent is decided once, under it
        List<Decision> decisions = decisions(compressions.size());
        assertThat(decisions).extracting(Decision::getIntentId)
                .containsExactlyInAnyOrderElementsOf(compressions.stream().map(c -> "c-" + c).toList());
        assertThat(decisions).extracting(Decision::getPolicyVersion).containsOnly("librdkafka-it-2");
    }

    @Test
    void shouldDeadLetterAnIntentSentWithANewlineAfterItsAvroBody() throws Exception {
        // Given an intent with a newline after its Avro body, as a producer reading values from files sends it, and one without
        byte[] intent = intent("nl-1");
        byte[] withNewline = java.util.Arrays.copyOf(intent, intent.length + 1);
        withNewline[intent.length] = '\n';
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        records.add(record(topics.intents().name(), AGENT, withNewline));
        records.add(record(topics.intents().name(), AGENT, intent("nl-2")));

        // When Python sends them, librdkafka's partitioner putting them off the agent's partition (CRC32, not murmur2)
        List<JsonNode> delivered = produce(records);
        assertThat(delivered).hasSize(2);
        assertThat(delivered.get(0).get("partition").asInt()).isNotEqualTo(new KeyPartitioning(3).partitionOf(AGENT.getBytes(StandardCharsets.UTF_8)));

        // Then the first is dead-lettered as it came, saying why and where its producer's delivery report put it (not the placed
        // topic it was moved through, which forgets it), and only the second is decided
        List<ConsumerRecord<byte[], byte[]>> letters = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                List.of(topics.intentsDlq().name()), 1, Duration.ofSeconds(60));
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.value()).isEqualTo(withNewline);
            assertThat(new String(letter.headers().lastHeader("mediator.error.message").value(), StandardCharsets.UTF_8))
                    .contains("1 bytes after the end of its Avro body");
            assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
                    .isEqualTo(topics.intents().name());
            assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.SOURCE_PARTITION).value(), StandardCharsets.UTF_8))
                    .isEqualTo(delivered.get(0).get("partition").asText());
            assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.SOURCE_OFFSET).value(), StandardCharsets.UTF_8))
                    .isEqualTo(delivered.get(0).get("offset").asText());
        });
        assertThat(decisions(1)).extracting(Decision::getIntentId).containsExactly("nl-2");
    }

    @Test
    void shouldRejectAnIntentWithAMegabyteOfCompressedHeadersAndGoOnDeciding() throws Exception {
        // Given an intent that waits for a dependency, with 1.2 MB of headers zstd makes small enough for the broker, of an
        // agent librdkafka's CRC32 puts on its own partition (so the intent is read where it is), then an ordinary intent
        String inPlace = "py-booker";
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(inPlace.getBytes(StandardCharsets.UTF_8));
        assertThat((int) (crc.getValue() % 3))
                .isEqualTo(new io.agentmediator.placement.KeyPartitioning(3).partitionOf(inPlace.getBytes(StandardCharsets.UTF_8)));
        AgentIntent waiting = AgentIntent.newBuilder().setIntentId("big-1").setAgentId(inPlace).setAction("report.generate")
                .setTarget("erp").setCostMicros(1_000).setConfidence(0.9).setDependsOn(List.of("never-reported")).build();
        ObjectNode big = record(topics.intents().name(), inPlace, topics.intentSerde().serializer().serialize(topics.intents().name(), waiting))
                .put("compression", "zstd");
        big.putArray("headers").addArray().add("trace-baggage").add(HexFormat.of().formatHex(new byte[1_200_000]));
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        records.add(big);
        records.add(record(topics.intents().name(), AGENT, intent("after-big")));

        // When Python sends them
        assertThat(produce(records)).hasSize(2);

        // Then the first is rejected MALFORMED for its headers (kept while it waited, they made a store record too large
        // for its changelog, and the stream thread died on it at every retry), and the second is decided
        List<Decision> decisions = decisions(2);
        assertThat(decisions).extracting(Decision::getIntentId).containsExactlyInAnyOrder("big-1", "after-big");
        assertThat(decisions).filteredOn(d -> d.getIntentId().equals("big-1")).singleElement()
                .satisfies(d -> assertThat(d.getReasons()).singleElement().satisfies(r -> {
                    assertThat(r.getCode()).isEqualTo(io.agentmediator.schema.ReasonCode.MALFORMED);
                    assertThat(r.getMessage()).contains("headers take");
                }));
    }

    @Test
    void shouldRejectAnIntentTooLargeToMoveToItsAgentsPartition() throws Exception {
        // Given an intent of 1.1 MB, which zstd makes small enough for the broker, of an agent librdkafka's CRC32 puts on
        // another partition than the mediator's murmur2 (PythonClientsIT checks py-analyst's)
        AgentIntent bulky = AgentIntent.newBuilder().setIntentId("bulky-1").setAgentId(AGENT).setAction("report.generate")
                .setTarget("erp").setCostMicros(1_000).setConfidence(0.9).setReasoning("a".repeat(1_100_000)).build();
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        records.add(record(topics.intents().name(), AGENT, topics.intentSerde().serializer().serialize(topics.intents().name(), bulky))
                .put("compression", "zstd"));

        // When Python sends it
        assertThat(produce(records)).hasSize(1);

        // Then it is rejected MALFORMED, as it is where it lands in place: moving it, it was dead-lettered with its key, and
        // its agent never heard back
        assertThat(decisions(1)).singleElement().satisfies(d -> {
            assertThat(d.getIntentId()).isEqualTo("bulky-1");
            assertThat(d.getReasons()).extracting(r -> r.getCode()).containsOnly(io.agentmediator.schema.ReasonCode.MALFORMED);
            assertThat(d.getReasons().get(0).getMessage()).contains("max.request.size");
        });
    }

    @Test
    void shouldGoOnDecidingAfterRecordsWithKeysOfTwoMegabytes() throws Exception {
        // Given an intent, an approval, an outcome and a control, each keyed by 2 MB that zstd makes small enough for the broker
        String huge = "k".repeat(2_000_000);
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        for (String topic : List.of(topics.intents().name(), topics.approvals().name(), topics.outcomes().name(), topics.controls().name())) {
            records.add(record(topic, huge, intent("huge-key")).put("compression", "zstd"));
        }
        // And an ordinary intent after them
        records.add(record(topics.intents().name(), AGENT, intent("after-huge-keys")));

        // When Python sends them
        assertThat(produce(records)).hasSize(records.size());

        // Then none of them stopped the mediator: the intent is rejected for its key, the ordinary one decided
        List<Decision> decisions = decisions(2);
        assertThat(decisions).extracting(Decision::getIntentId).containsExactlyInAnyOrder("huge-key", "after-huge-keys");
        assertThat(decisions).filteredOn(d -> d.getIntentId().equals("huge-key")).singleElement().satisfies(d ->
                assertThat(d.getReasons().get(0).getMessage()).contains("the record key has 2000000 characters"));
        // And the approval and outcome are dead-lettered without their key (no producer sends it), saying which it was
        List<ConsumerRecord<byte[], byte[]>> letters = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                List.of(topics.intentsDlq().name()), 2, Duration.ofSeconds(30));
        assertThat(letters).hasSize(2).allSatisfy(letter -> {
            assertThat(letter.key()).isNull();
            assertThat(new String(letter.headers().lastHeader("mediator.key.dropped").value(), StandardCharsets.UTF_8))
                    .startsWith("2000000 bytes, sha-256 ");
        });
        // And the control is refused (its value is no control), counted once
        assertThat(awaitScrape("mediator_controls_refused_total{reason=\"UNREADABLE\"} 1.0")).isTrue();
        assertThat(app.health().live()).isTrue();
    }

    @Test
    void shouldRefuseAnOlderControlLibrdkafkaPlacesElsewhereAndTakeANewerOne() throws Exception {
        // Given an agent whose partition librdkafka's CRC32 and Java's murmur2 disagree on, suspended through Java's client
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(AGENT.getBytes(StandardCharsets.UTF_8));
        assertThat((int) (crc.getValue() % 3)).isNotEqualTo(new KeyPartitioning(3).partitionOf(AGENT.getBytes(StandardCharsets.UTF_8)));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        new ControlPublisher(config).publish(AGENT, new Control(ControlAction.SUSPEND, "runaway", "carol", now), null);
        assertThat(awaitScrape("mediator_agent_suspended{agent=\"py-analyst\",by=\"carol\"}")).isTrue();

        // When librdkafka writes an older resumption (a replay) for it, then an intent
        ArrayNode records = JsonNodeFactory.instance.arrayNode();
        records.add(record(topics.controls().name(), AGENT,
                new Control(ControlAction.RESUME, "replayed", "carol", now.minusSeconds(60)).toJson().getBytes(StandardCharsets.UTF_8)));
        assertThat(produce(records)).hasSize(1);
        assertThat(awaitScrape("mediator_controls_refused_total{reason=\"STALE\"} 1.0")).as("refused as a replay").isTrue();
        records = JsonNodeFactory.instance.arrayNode();
        records.add(record(topics.intents().name(), AGENT, intent("while-suspended")));
        assertThat(produce(records)).hasSize(1);

        // Then the replay was refused as no later than the suspension, and the agent stays suspended
        assertThat(decisions(1)).singleElement().satisfies(d ->
                assertThat(d.getReasons().get(0).getCode()).isEqualTo(io.agentmediator.schema.ReasonCode.AGENT_SUSPENDED));

        // And a newer resumption through librdkafka counts
        records = JsonNodeFactory.instance.arrayNode();
        records.add(record(topics.controls().name(), AGENT,
                new Control(ControlAction.RESUME, "fixed", "carol", now.plusSeconds(1)).toJson().getBytes(StandardCharsets.UTF_8)));
        assertThat(produce(records)).hasSize(1);
        assertThat(awaitScrape("kill switch lifted", scrape -> !scrape.contains("mediator_agent_suspended{agent=\"py-analyst\""))).isTrue();
        records = JsonNodeFactory.instance.arrayNode();
        records.add(record(topics.intents().name(), AGENT, intent("after-resume")));
        assertThat(produce(records)).hasSize(1);
        assertThat(decisions(2)).filteredOn(d -> d.getIntentId().equals("after-resume")).singleElement()
                .satisfies(d -> assertThat(d.getOutcome()).isEqualTo(io.agentmediator.schema.DecisionOutcome.EXECUTE));
    }

    private boolean awaitScrape(String expected) throws Exception {
        return awaitScrape(expected, scrape -> scrape.contains(expected));
    }

    /** Whether the mediator's scrape came to hold {@code done} within 30 s. */
    private boolean awaitScrape(String what, java.util.function.Predicate<String> done) throws Exception {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() - giveUpAt < 0) {
            if (done.test(HttpGet.get(app.httpPort(), "/metrics").body())) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private ObjectNode record(String topic, String key, byte[] value) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("topic", topic);
        record.put("key", key == null ? null : HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8)));
        record.put("value", value == null ? null : HexFormat.of().formatHex(value));
        return record;
    }

    private byte[] intent(String intentId) {
        AgentIntent intent = AgentIntent.newBuilder().setIntentId(intentId).setAgentId(AGENT).setAction("report.generate")
                .setTarget("erp").setCostMicros(1_000).setConfidence(0.9).build();
        return topics.intentSerde().serializer().serialize(topics.intents().name(), intent);
    }

    private List<JsonNode> produce(ArrayNode records) throws Exception {
        assertThat(PYTHON).as("Debian's python3 with python3-confluent-kafka (.ci/run installs it)").exists();
        Path input = Files.writeString(dir.resolve("records.json"), records.toString());
        Path output = dir.resolve("produce.out");
        Process process = new ProcessBuilder(PYTHON.toString(), PRODUCER.toString(), broker.bootstrapServers(), input.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("produce_records.py did not finish: " + Files.readString(output));
        }
        assertThat(process.exitValue()).as(Files.readString(output)).isZero();
        List<JsonNode> lines = new ArrayList<>();
        Files.readString(output).lines().filter(l -> l.startsWith("{")).map(JsonText::parse).forEach(lines::add);
        return lines;
    }

    private List<Decision> decisions(int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                topics.decisions().stream().map(t -> t.name()).toList(), expected, Duration.ofSeconds(60));
        return records.stream().map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }
}
