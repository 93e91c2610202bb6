package io.agentmediator.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.agentmediator.testing.TestDrivers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MediatorTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("test");
    private final Topics topics = new Topics("agent.", registry);
    private final Policy policy = PolicySource.load("classpath:policies/example.yaml").policy();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> intents;

    @BeforeEach
    void setUp() {
        driver =
                new TopologyTestDriver(
                        MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics, new CurrentPolicy(policy), new HealthState(), UnaryOperator.identity())),
                        TestDrivers.streamsSettings(), T0);
        intents = driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void shouldExecuteAKnownAgentsIntentAndWriteItsCaseFile() {
        AgentIntent intent = intent("i-1", "finance-analyst");

        send(intent);

        List<TestRecord<String, Decision>> executed = output(topics.execute()).readRecordsToList();
        assertThat(executed).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("finance-analyst");
            assertThat(record.value().getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(record.value().getReasons()).isEmpty();
            assertThat(record.value().getPolicyVersion()).isEqualTo(policy.version());
            assertThat(record.value().getDecidedAt()).isEqualTo(T0);
            assertThat(record.value().getCorrelationId()).isEqualTo("i-1");
        });
        assertThat(output(topics.reject()).isEmpty()).isTrue();
        AuditRecord caseFile = output(topics.audit()).readKeyValuesToMap().get("i-1");
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.EXECUTE);
        assertThat(caseFile.getIntent()).isEqualTo(intent);
        assertThat(caseFile.getDecision()).isEqualTo(executed.get(0).value());
        assertThat(caseFile.getChecks()).extracting(c -> c.getStatus()).containsOnly(CheckStatus.PASS);
        assertThat(caseFile.getTimeline()).extracting(e -> e.getEvent()).containsExactly("RECEIVED", "DECIDED");
        assertThat(caseFile.getPolicyVersion()).isEqualTo(policy.version());
    }

    @Test
    void shouldRejectAnUnknownAgentSayingWhy() {
        send(intent("i-2", "shadow-agent"));

        Decision decision = output(topics.reject()).readValue();
        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(decision.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.UNKNOWN_AGENT);
            assertThat(reason.getMessage()).contains("shadow-agent");
        });
        assertThat(output(topics.execute()).isEmpty()).isTrue();
        AuditRecord caseFile = output(topics.audit()).readValue();
        assertThat(caseFile.getStage()).isEqualTo(CaseStage.REJECT);
        assertThat(caseFile.getChecks()).anySatisfy(check -> assertThat(check.getCode()).isEqualTo(ReasonCode.UNKNOWN_AGENT));
    }

    @Test
    void shouldDeadLetterGarbageAndKeepDecidingTheRecordsAfterIt() {
        byte[] garbage = "not an intent".getBytes(StandardCharsets.UTF_8);
        intents.pipeInput(new TestRecord<>("finance-analyst".getBytes(StandardCharsets.UTF_8), garbage, T0));
        intents.pipeInput(new TestRecord<>("x".getBytes(StandardCharsets.UTF_8), (byte[]) null, T0));
        send(intent("i-3", "finance-analyst"));

        List<TestRecord<byte[], byte[]>> dead = output(topics.intentsDlq()).readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetterHeaders.SOURCE_OFFSET).value(), StandardCharsets.UTF_8))
                .isEqualTo("0");
        assertThat(dead.get(1).value()).isNull();
        assertThat(output(topics.execute()).readValue().getIntentId()).isEqualTo("i-3");
    }

    @Test
    void shouldDeadLetterAnIntentWithBytesAfterItsAvroBodyRatherThanDecideWhatItsSchemaIdReads() {
        // Given an intent that signs an expiry already passed, written with the current schema but under the id of one
        // without expiresAt (a stale id cached by a client, another subject's): read by that id, the expiry is cut off
        org.apache.avro.Schema withoutExpiry = org.apache.avro.Schema.createRecord(AgentIntent.getClassSchema().getName(), null,
                AgentIntent.getClassSchema().getNamespace(), false, AgentIntent.getClassSchema().getFields().stream()
                        .filter(f -> !f.name().equals("expiresAt")).map(f -> new org.apache.avro.Schema.Field(f, f.schema())).toList());
        int staleId = registry.register("agent.intents-value", withoutExpiry);
        AgentIntent expired = AgentIntent.newBuilder(intent("i-4", "finance-analyst")).setExpiresAt(T0.minusSeconds(3600)).build();
        byte[] value = topics.intentSerde().serializer().serialize(topics.intents().name(), expired);
        System.arraycopy(io.agentmediator.serde.WireFormat.header(staleId), 0, value, 0, io.agentmediator.serde.WireFormat.HEADER_SIZE);

        // When it arrives, then an intent of the same agent
        intents.pipeInput(new TestRecord<>("finance-analyst".getBytes(StandardCharsets.UTF_8), value, T0));
        send(intent("i-5", "finance-analyst"));

        // Then it is dead-lettered as it came, saying why, and never executed; the next intent is decided
        List<TestRecord<byte[], byte[]>> dead = output(topics.intentsDlq()).readRecordsToList();
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.value()).isEqualTo(value);
            assertThat(new String(letter.headers().lastHeader(DeadLetterHeaders.ERROR_MESSAGE).value(), StandardCharsets.UTF_8))
                    .contains("bytes after the end of its Avro body");
        });
        assertThat(output(topics.execute()).readValuesToList()).extracting(Decision::getIntentId).containsExactly("i-5");
        assertThat(output(topics.reject()).isEmpty()).isTrue();
    }

    @Test
    void shouldRejectAsMalformedAnIntentWhoseHeadersAreTooLargeToKeepWhileItWaits() {
        // Given an intent that would wait for a dependency, with 100 KiB of headers (a client may send a megabyte,
        // compressed): kept while it waited, they made a store record its changelog refused, and the thread died on it
        AgentIntent waiting = AgentIntent.newBuilder(intent("i-6", "finance-analyst")).setDependsOn(List.of("never-reported")).build();
        org.apache.kafka.common.header.internals.RecordHeaders headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.add("trace-baggage", new byte[100 * 1024]);

        // When it arrives
        intents.pipeInput(new TestRecord<>("finance-analyst".getBytes(StandardCharsets.UTF_8),
                topics.intentSerde().serializer().serialize(topics.intents().name(), waiting), headers, T0));

        // Then it is rejected MALFORMED, saying why, and waits for nothing
        Decision decision = output(topics.reject()).readValue();
        assertThat(decision.getIntentId()).isEqualTo("i-6");
        assertThat(decision.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(reason.getMessage()).contains("headers take 102413 bytes, more than the 65536 an intent may carry");
        });
        assertThat(output(topics.audit()).readValuesToList()).extracting(AuditRecord::getStage).containsOnly(CaseStage.REJECT);
    }

    @Test
    void shouldNameEveryNodeAsTheDesignDiagramDoes() {
        String description = MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics, new CurrentPolicy(policy), new HealthState(), UnaryOperator.identity()))
                .describe()
                .toString();

        assertThat(description)
                .contains(
                        MediatorTopology.INTENTS_SOURCE,
                        MediatorTopology.INTENT_DECODER,
                        MediatorTopology.INTENTS_DLQ_SINK,
                        MediatorTopology.AGENT_GATE,
                        MediatorTopology.EXECUTE_SINK,
                        MediatorTopology.ESCALATE_SINK,
                        MediatorTopology.REJECT_SINK,
                        MediatorTopology.AUDIT_SINK)
                .doesNotContain("KSTREAM-");
    }

    private void send(AgentIntent intent) {
        intents.pipeInput(
                new TestRecord<>(
                        intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                        topics.intentSerde().serializer().serialize(topics.intents().name(), intent),
                        T0));
    }

    private <K, V> TestOutputTopic<K, V> output(TopicSpec<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    static AgentIntent intent(String intentId, String agentId) {
        return AgentIntent.newBuilder()
                .setIntentId(intentId)
                .setAgentId(agentId)
                .setAction("invoice.create")
                .setTarget("erp")
                .setCostMicros(2_500_000L)
                .setConfidence(0.95)
                .build();
    }
}
