package io.agentmediator.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.demo.DemoKeys;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AgentPolicy;
import io.agentmediator.schema.BudgetPool;
import io.agentmediator.limits.OverLimitException;
import io.agentmediator.placement.KeyPartitioning;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad records that used to kill the stream thread, on a real broker under exactly-once: an
 * intent whose case file would pass the producer's size limit, ids of 60,000 and 300,000
 * characters, an unreadable record and a poisoned one on internal topics, outcomes of an executed
 * intent with a negative and an overflowing actual cost, a policy keyed by 80,000 characters, one whose version is as
 * long, and one naming a pool as long, which every claim on the pool would quote; an unreadable approval and outcome
 * whose headers alone are more than the mediator's producer sends. Each is rejected or dead-lettered, the thread never dies, and intents of other agents sent after them are decided.
 */
@Tag("slow")
class BadRecordsIT {

    /** The mediator's producer is told to send nothing over this, so an ordinary intent can make a too-large case file. */
    private static final int MAX_REQUEST_BYTES = 200_000;
    private static final String EXECUTOR = "executor:finance-analyst";
    private static final String EXAMPLE_POLICY = "classpath:policies/example.yaml";

    private static EmbeddedKafkaBroker broker;
    @TempDir static Path stateDir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void badRecordsAreRejectedOrDeadLetteredAndEveryOtherAgentIsStillDecided() throws Exception {
        String scope = "bad-records-it";
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of(
                ConfigKeys.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers(),
                ConfigKeys.STATE_DIR.name(), stateDir.toString(),
                ConfigKeys.HTTP_PORT.name(), "0",
                ConfigKeys.SCHEMA_REGISTRY_URL.name(), "mock://" + scope,
                ConfigKeys.APPLICATION_ID.name(), "bad-records-it",
                ConfigKeys.LIMITS_TEXT_MAX_CHARS.name(), "1000000",
                "producer.max.request.size", Integer.toString(MAX_REQUEST_BYTES)));
        try (MediatorApp app = MediatorApp.start(config, new HealthState())) {
            app.awaitRunning(Duration.ofSeconds(60));
            Topics topics = app.topics();
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                // A reasoning within the (raised) text limit, the intent exactly as large as the mediator moves, whose case
                // file is over the producer's size limit; a rejected case is kept in no store, so only its case file is too
                // large to send.
                send(producer, topics, ofSerializedSize(topics, AgentIntent.newBuilder(intent("too-large-case-file", "shadow-agent")).build(),
                        MAX_REQUEST_BYTES - RecordSize.FRAMING_BYTES));
                // Larger, sent by a client whose partitioner is not Java's: too large for the mediator to move, it is rejected
                // where it is, as it would be on its agent's partition
                AgentIntent bulky = AgentIntent.newBuilder(intent("moved-too-large", "shadow-mover"))
                        .setReasoning("m".repeat(MAX_REQUEST_BYTES + 10_000)).build();
                int home = new KeyPartitioning(3).partitionOf("shadow-mover".getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(topics.intents().name(), (home + 1) % 3, "shadow-mover".getBytes(StandardCharsets.UTF_8),
                        topics.intentSerde().serializer().serialize(topics.intents().name(), bulky)));
                send(producer, topics, intent("p".repeat(60_000), "finance-analyst"));
                send(producer, topics, intent("u".repeat(300_000), "unregistered-agent"));
                producer.send(new ProducerRecord<>(topics.ledgerReplies().name(), "finance-analyst".getBytes(StandardCharsets.UTF_8),
                        "not avro".getBytes(StandardCharsets.UTF_8)));
                producer.send(new ProducerRecord<>(topics.caseEvents().name(), "finance-analyst".getBytes(StandardCharsets.UTF_8),
                        topics.caseEvents().valueSerde().serializer().serialize(topics.caseEvents().name(),
                                new CaseEvent("nobody", null, null, "bad-records-it", null))));
                // An executed intent, then outcomes for it with a negative and an overflowing actual cost, signed by
                // its executor as the example policy requires, so only their amounts are wrong.
                send(producer, topics, intent("spend-1", "finance-analyst"));
                for (long actual : new long[] {-1L, Long.MAX_VALUE}) {
                    byte[] outcome = topics.outcomeSerde().serializer().serialize(topics.outcomes().name(),
                            new Outcome("spend-1", OutcomeStatus.COMPLETED, actual, EXECUTOR, null, null, null));
                    producer.send(new ProducerRecord<>(topics.outcomes().name(), null, "spend-1".getBytes(StandardCharsets.UTF_8), outcome,
                            TestKeys.signedBy(EXECUTOR, DemoKeys.privateKey(EXECUTOR), outcome)));
                }
                // Two policy records the validator refuses: one keyed by 80,000 characters and unreadable, whose refusal's case
                // file had quoted the key in its own key and twice in its value, together more than the producer sends though
                // each alone fits; and a valid document whose version of 80,000 characters every decision would carry.
                producer.send(new ProducerRecord<>(topics.policies().name(), "k".repeat(80_000).getBytes(StandardCharsets.UTF_8),
                        "not avro".getBytes(StandardCharsets.UTF_8)));
                PolicyDocument longVersion = PolicyDocument.newBuilder(PolicyCodec.toAvro(PolicySource.load(EXAMPLE_POLICY).policy()))
                        .setVersion("v".repeat(80_000)).build();
                producer.send(new ProducerRecord<>(topics.policies().name(), "default".getBytes(StandardCharsets.UTF_8),
                        topics.policySerde().serializer().serialize(topics.policies().name(), longVersion)));
                // And a valid document naming finance-analyst's pool with 80,000 characters: every claim on the pool is keyed
                // by its id, and a request quotes it in its value too
                producer.send(new ProducerRecord<>(topics.policies().name(), "default".getBytes(StandardCharsets.UTF_8),
                        topics.policySerde().serializer().serialize(topics.policies().name(), withPoolRenamed("finance-team",
                                "f".repeat(80_000)))));
                producer.flush();
                // An unreadable approval whose headers take nearly all the mediator's producer sends, and an unreadable outcome
                // of a hundred thousand empty headers (three bytes each as written, one as they were counted), from a client
                // that compresses: their letters had carried every header and were refused by the producer at every retry.
                try (KafkaProducer<byte[], byte[]> compressing = KafkaTestClients.producer(broker.bootstrapServers(), Map.of(
                        ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "5000000"))) {
                    RecordHeaders baggage = new RecordHeaders();
                    baggage.add("trace-baggage", new byte[MAX_REQUEST_BYTES - 400]);
                    compressing.send(new ProducerRecord<>(topics.approvals().name(), null, "spend-1".getBytes(StandardCharsets.UTF_8),
                            "not avro".getBytes(StandardCharsets.UTF_8), baggage));
                    RecordHeaders many = new RecordHeaders();
                    IntStream.range(0, 100_000).forEach(i -> many.add("h", null));
                    compressing.send(new ProducerRecord<>(topics.outcomes().name(), null, "spend-1".getBytes(StandardCharsets.UTF_8),
                            "not avro".getBytes(StandardCharsets.UTF_8), many));
                }
                List<String> refusals = KafkaTestClients.readCommittedUntil(broker.bootstrapServers(), List.of(topics.audit().name()),
                                records -> records.stream().filter(BadRecordsIT::policyRefusal).count() >= 3, Duration.ofSeconds(60))
                        .stream().filter(BadRecordsIT::policyRefusal).map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
                assertThat(refusals).hasSize(3).allSatisfy(key -> assertThat(key).hasSizeLessThan(1_000));
                for (int i = 0; i < 5; i++) {
                    send(producer, topics, intent("after-" + i, "research-assistant"));
                }
                send(producer, topics, intent("pooled-after", "finance-analyst"));
            }

            List<Decision> decisions = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                            List.of(topics.execute().name(), topics.escalate().name(), topics.reject().name()), 11, Duration.ofSeconds(90))
                    .stream().map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
            Map<String, Decision> byIntent = decisions.stream().collect(Collectors.toMap(d -> d.getIntentId().substring(0, 5),
                    Function.identity(), (a, b) -> a));
            assertThat(decisions).filteredOn(d -> d.getAgentId().equals("research-assistant")).hasSize(5)
                    .allSatisfy(d -> assertThat(d.getPolicyVersion()).isEqualTo(PolicySource.load(EXAMPLE_POLICY).policy().version()));
            assertThat(byIntent.get("ppppp").getReasons().get(0).getCode()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(byIntent.get("uuuuu").getReasons()).extracting(r -> r.getCode()).contains(ReasonCode.MALFORMED);
            assertThat(byIntent.get("too-l").getReasons().get(0).getCode()).isEqualTo(ReasonCode.UNKNOWN_AGENT);
            assertThat(byIntent.get("moved").getReasons()).singleElement().satisfies(r -> {
                assertThat(r.getCode()).isEqualTo(ReasonCode.MALFORMED);
                assertThat(r.getMessage()).contains("max.request.size");
            });
            assertThat(byIntent.get("spend").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(decisions).filteredOn(d -> d.getIntentId().equals("pooled-after")).singleElement()
                    .satisfies(d -> assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE));

            List<ConsumerRecord<byte[], byte[]>> dead = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                    List.of(topics.intentsDlq().name()), 7, Duration.ofSeconds(30));
            assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.SOURCE_TOPIC) + " " + header(r, DeadLetterHeaders.ERROR_CLASS))
                    .containsExactlyInAnyOrder(
                            topics.intents().name() + " " + SizeLimitedSerializer.OversizedRecordException.class.getName(),
                            topics.ledgerReplies().name() + " io.agentmediator.serde.MalformedRecordException",
                            topics.caseEvents().name() + " java.lang.NullPointerException",
                            topics.outcomes().name() + " " + OverLimitException.class.getName(),
                            topics.outcomes().name() + " " + OverLimitException.class.getName(),
                            topics.approvals().name() + " io.agentmediator.serde.MalformedRecordException",
                            topics.outcomes().name() + " io.agentmediator.serde.MalformedRecordException");
            assertThat(dead).filteredOn(r -> r.headers().lastHeader(DeadLetterHeaders.HEADERS_DROPPED) != null)
                    .extracting(r -> header(r, DeadLetterHeaders.SOURCE_TOPIC))
                    .containsExactlyInAnyOrder(topics.approvals().name(), topics.outcomes().name());
            assertThat(dead).filteredOn(r -> header(r, DeadLetterHeaders.SOURCE_TOPIC).equals(topics.intents().name()))
                    // The unknown agent's case file is keyed by where it was read (its id is not trusted), ending in the id
                    .extracting(r -> new String(r.key(), StandardCharsets.UTF_8).replaceFirst("^untrusted:.*:", "") + " to "
                            + header(r, DeadLetterHeaders.OUTPUT_TOPIC))
                    .containsExactly("too-large-case-file to " + topics.audit().name());
            assertThat(app.health().live()).isTrue();
            assertThat(app.health().ready()).isTrue();
        } finally {
            SchemaRegistryClients.dropScope(scope);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, AgentIntent intent) {
        producer.send(new ProducerRecord<>(topics.intents().name(), intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                topics.intentSerde().serializer().serialize(topics.intents().name(), intent)));
    }

    /** {@code intent} with a reasoning that makes its record value exactly {@code bytes} long. */
    private static AgentIntent ofSerializedSize(Topics topics, AgentIntent intent, int bytes) {
        int length = bytes;
        AgentIntent sized = intent;
        for (int attempt = 0; attempt < 3; attempt++) {
            sized = AgentIntent.newBuilder(intent).setReasoning("r".repeat(length)).build();
            length -= topics.intentSerde().serializer().serialize(topics.intents().name(), sized).length - bytes;
        }
        assertThat(topics.intentSerde().serializer().serialize(topics.intents().name(), sized)).hasSize(bytes);
        return sized;
    }

    /** The example policy, its version {@code pool-renamed}, with the pool {@code from} named {@code to}. */
    private static PolicyDocument withPoolRenamed(String from, String to) {
        PolicyDocument example = PolicyCodec.toAvro(PolicySource.load(EXAMPLE_POLICY).policy());
        return PolicyDocument.newBuilder(example).setVersion("pool-renamed")
                .setPools(example.getPools().stream().map(p -> p.getId().equals(from) ? BudgetPool.newBuilder(p).setId(to).build() : p).toList())
                .setAgents(example.getAgents().stream().map(a -> from.equals(a.getPool()) ? AgentPolicy.newBuilder(a).setPool(to).build() : a)
                        .toList())
                .build();
    }

    private static boolean policyRefusal(ConsumerRecord<byte[], byte[]> record) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        return key.startsWith("policy:") && key.contains(":refused:");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return record.headers().lastHeader(name) == null ? "" : new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static AgentIntent intent(String intentId, String agentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("invoice.create").setTarget("erp")
                .setCostMicros(1_000L).setCommitmentMicros(0).setConfidence(0.99).build();
    }
}
