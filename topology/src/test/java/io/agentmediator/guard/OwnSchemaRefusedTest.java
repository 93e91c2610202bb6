package io.agentmediator.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A mediator that may only look schemas up ({@code auto.register.schemas=false}) on a registry a staging run filled, where
 * no escalation (or no execution) was ever written, so that subject is missing. Its decision is the mediator's own record:
 * dead-lettered, it was lost while the intent's id, budget and open escalation stayed, and the intent sent again after the
 * subject was registered was a DUPLICATE. It now stops there, to read the intent again once the subject exists.
 */
class OwnSchemaRefusedTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "own-schema-1"
            defaults: { minConfidence: 0.6 }
            tiers: [MANAGER]
            agents:
              - id: solo
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: MONTH, limitMicros: 100000000 } ]
            """;

    @ParameterizedTest
    @CsvSource({"agent.decisions.escalate-value, 0.1", "agent.decisions.execute-value, 0.95"})
    void aDecisionWhoseSubjectTheRegistryLacksStopsTheThreadInsteadOfBeingDeadLettered(String missing, double confidence) {
        Topics topics = new Topics("agent.", new AllSubjectsBut(missing), false);
        TopologyParts parts = TopologyParts.of(MediatorConfig.defaults(), topics,
                new CurrentPolicy(PolicyParser.parse("p.yaml", POLICY).policy()), new HealthState(), UnaryOperator.identity());
        try (TopologyTestDriver driver = new TopologyTestDriver(MediatorTopology.build(parts), TestDrivers.streamsSettings(), T0)) {
            AgentIntent intent = AgentIntent.newBuilder().setIntentId("solo:i-1").setAgentId("solo").setAction("llm.call")
                    .setTarget("llm:large").setCostMicros(2_000_000).setCommitmentMicros(0).setConfidence(confidence).build();
            byte[] value = topics.intentSerde().serializer().serialize(topics.intents().name(), intent);

            assertThatThrownBy(() -> driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer()).pipeInput(new TestRecord<>("solo".getBytes(StandardCharsets.UTF_8), value, T0)))
                    .hasStackTraceContaining("Subject '" + missing + "'");

            assertThat(driver.createOutputTopic(topics.intentsDlq().name(), Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).readRecordsToList()).isEmpty();
        }
    }

    @Test
    void anExpiryWhoseRejectSubjectTheRegistryLacksStopsTheThreadInsteadOfClosingTheEscalationWithoutItsDecision() {
        Topics topics = new Topics("agent.", new AllSubjectsBut("agent.decisions.reject-value"), false);
        TopologyParts parts = TopologyParts.of(MediatorConfig.defaults(), topics,
                new CurrentPolicy(PolicyParser.parse("p.yaml", POLICY).policy()), new HealthState(), UnaryOperator.identity());
        try (TopologyTestDriver driver = new TopologyTestDriver(MediatorTopology.build(parts), TestDrivers.streamsSettings(), T0)) {
            // Given an escalation, decided while no subject was missing yet for it
            AgentIntent unsure = AgentIntent.newBuilder().setIntentId("solo:i-1").setAgentId("solo").setAction("llm.call")
                    .setTarget("llm:large").setCostMicros(2_000_000).setCommitmentMicros(0).setConfidence(0.1).build();
            driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                    .pipeInput(new TestRecord<>("solo".getBytes(StandardCharsets.UTF_8),
                            topics.intentSerde().serializer().serialize(topics.intents().name(), unsure), T0));
            assertThat(driver.getKeyValueStore(GateStores.OPEN_ESCALATIONS).get("solo:i-1")).isNotNull();

            // When its deadline passes, on the wall-clock check, and its REJECT cannot be written
            // Then the check stops the thread rather than closing the escalation without its decision
            assertThatThrownBy(() -> driver.advanceWallClockTime(Duration.ofHours(5))).hasStackTraceContaining("agent.decisions.reject-value");
        }
    }

    /** What a staging run registered: every subject the mediator writes but {@code missing}. */
    private static final class AllSubjectsBut implements SchemaRegistryClient {

        private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("own-schema-refused");
        private final String missing;

        AllSubjectsBut(String missing) {
            this.missing = missing;
        }

        @Override
        public int register(String subject, Schema schema) {
            return registry.register(subject, schema);
        }

        @Override
        public int idOf(String subject, Schema schema) {
            return subject.equals(missing) ? registry.idOf(subject, schema) : registry.register(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            return registry.schemaById(id);
        }
    }
}
