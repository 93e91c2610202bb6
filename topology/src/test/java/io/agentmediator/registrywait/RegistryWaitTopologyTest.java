package io.agentmediator.registrywait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.testing.BuyerAndManager;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A record whose schema the registry cannot give yet waits for it through the real topology, whether an agent wrote
 * it (an intent, approval, outcome or policy) or the mediator did (a case event on its way to the agent's partition):
 * read again with backoff while health reports the registry down, then handled; never dead-lettered. Its stream
 * thread is not replaced at the first refusal, which would use up the few deaths Kafka Streams allows before shutting
 * the client down.
 */
class RegistryWaitTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = BuyerAndManager.policy("registry-wait-1");

    /** The registry agents write through; the mediator reaches the same one through {@link #mediators}. */
    private final InMemorySchemaRegistry agents = new InMemorySchemaRegistry("registry-wait-topology");
    private final FlakyRegistry mediators = new FlakyRegistry(agents);
    private final HealthState health = new HealthState();
    private Topics topics;
    private TopologyTestDriver driver;

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void anApprovalWaitsForTheRegistryAndIsThenApplied() {
        start(Duration.ofSeconds(30));
        escalate("i-1");

        // Given the registry refuses the approval's schema twice, then gives it
        mediators.refuseNext(2);
        approve("i-1");

        // Then it was read again, with readiness failing meanwhile, and it decided the case; nothing was dead-lettered
        assertReadAgainAndApproved();
    }

    @Test
    void aCaseEventTheMediatorWroteWaitsForTheRegistryAndIsThenApplied() {
        start(Duration.ofSeconds(30));
        escalate("i-3");
        // The schema of the mediator's own case events, as a restarted instance finds it: in the registry, not in its caches
        int caseEventSchema = agents.register(topics.caseEvents().name() + "-value", CaseEvent.getClassSchema());

        // Given the registry refuses that schema twice, when the approval's case event is read on the agent's partition
        mediators.refuseNextOf(caseEventSchema, 2);
        approve("i-3");

        // Then it was read again, with readiness failing meanwhile, and it decided the case; nothing was dead-lettered
        assertReadAgainAndApproved();
    }

    @Test
    void anOutcomeWaitsNoLongerThanRegistryRetryMaxAndIsNeverDeadLettered() {
        start(Duration.ofMillis(300));
        escalate("i-2");

        // Given the registry is down for good
        mediators.refuseNext(Integer.MAX_VALUE);
        byte[] outcome = new AvroSerde<>(Outcome.class, agents).serializer()
                .serialize(topics.outcomes().name(), new Outcome("i-2", OutcomeStatus.COMPLETED, 100L, null, null, null, null));

        // Then after registry.retry.max.ms the error goes on to replace the stream thread, and the record stays to be read again
        assertThatThrownBy(() -> input(topics.outcomes()).pipeInput(new TestRecord<>(bytes("i-2"), outcome, T0.plusSeconds(60))))
                .hasRootCauseInstanceOf(SchemaRegistryUnavailableException.class);
        assertThat(mediators.readyWhenRefused.size()).isGreaterThan(1);
        assertThat(deadLetters()).isEmpty();
        assertThat(health.problems()).anyMatch(problem -> problem.contains("schema registry unavailable"));
    }

    @Test
    void aPublishedPolicyWaitsForTheRegistryAndIsThenAccepted() {
        start(Duration.ofSeconds(30));
        PolicyDocument next = PolicyDocument.newBuilder(PolicyCodec.toAvro(PolicyParser.parse("registry-wait.yaml", POLICY).policy()))
                .setVersion("registry-wait-2").build();

        // Given the registry refuses the document's schema twice, then gives it
        mediators.refuseNext(2);
        byte[] value = new AvroSerde<>(PolicyDocument.class, agents).serializer().serialize(topics.policies().name(), next);
        input(topics.policies()).pipeInput(new TestRecord<>(bytes("default"), value, T0));

        // Then it was read again, with readiness failing meanwhile, and accepted
        assertThat(mediators.readyWhenRefused).containsExactly(true, false);
        TopicSpec<String, PolicyDocument> accepted = topics.policiesAccepted();
        assertThat(driver.createOutputTopic(accepted.name(), accepted.keySerde().deserializer(), accepted.valueSerde().deserializer())
                .readValuesToList()).extracting(PolicyDocument::getVersion).containsExactly("registry-wait-2");
        assertThat(health.problems()).noneMatch(problem -> problem.contains("registry"));
    }

    /** The topology reaching the registry as the application does, waiting for it up to {@code registryRetryMax}. */
    private void start(Duration registryRetryMax) {
        topics = new Topics("agent.", new WaitingRegistryClient(mediators, new RegistryWait(health, registryRetryMax)));
        driver = new TopologyTestDriver(MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics,
                new CurrentPolicy(PolicyParser.parse("registry-wait.yaml", POLICY).policy()), health, UnaryOperator.identity())),
                TestDrivers.streamsSettings(), T0);
    }

    /** An intent over the buyer's authority: escalated to a manager. */
    private void escalate(String intentId) {
        AgentIntent intent = AgentIntent.newBuilder().setIntentId(intentId).setAgentId("buyer").setAction("purchase-order.create")
                .setTarget("erp").setCostMicros(2_000_000).setCommitmentMicros(5_000).setConfidence(0.9).build();
        byte[] value = new AvroSerde<>(AgentIntent.class, agents).serializer().serialize(topics.intents().name(), intent);
        input(topics.intents()).pipeInput(new TestRecord<>(bytes("buyer"), value, T0));
    }

    private void approve(String intentId) {
        byte[] value = new AvroSerde<>(Approval.class, agents).serializer()
                .serialize(topics.approvals().name(), new Approval(intentId, "proc-manager", ApprovalDecision.APPROVE, null, null, null));
        input(topics.approvals()).pipeInput(new TestRecord<>(bytes(intentId), value, TestKeys.signedBy("proc-manager", value), T0.plusSeconds(60)));
    }

    /** Two refusals, the first while still ready; then the escalation approved, nothing dead-lettered, and ready again. */
    private void assertReadAgainAndApproved() {
        assertThat(mediators.readyWhenRefused).containsExactly(true, false);
        assertThat(decisions()).extracting(Decision::getOutcome, d -> d.getReasons().get(0).getCode())
                .containsExactlyInAnyOrder(tuple(DecisionOutcome.ESCALATE, ReasonCode.OVER_AUTHORITY), tuple(DecisionOutcome.EXECUTE, ReasonCode.APPROVED));
        assertThat(deadLetters()).isEmpty();
        assertThat(health.problems()).noneMatch(problem -> problem.contains("registry"));
    }

    private List<Decision> decisions() {
        List<Decision> all = new ArrayList<>();
        for (TopicSpec<String, Decision> topic : topics.decisions()) {
            driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer())
                    .readValuesToList().forEach(all::add);
        }
        return all;
    }

    private List<?> deadLetters() {
        return driver.createOutputTopic(topics.intentsDlq().name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
                .readRecordsToList();
    }

    private TestInputTopic<byte[], byte[]> input(TopicSpec<byte[], byte[]> topic) {
        return driver.createInputTopic(topic.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The registry as the mediator reaches it: it can be made to refuse the next lookups of a schema by id, as a registry that is down does. */
    private final class FlakyRegistry implements SchemaRegistryClient {
        private final SchemaRegistryClient registry;
        private final AtomicInteger refusals = new AtomicInteger();
        /** The schema id refused, or any when null. */
        private volatile Integer refused;
        /** At each refusal, whether the mediator was still ready: it stops being so from the first. */
        final List<Boolean> readyWhenRefused = new ArrayList<>();

        FlakyRegistry(SchemaRegistryClient registry) {
            this.registry = registry;
        }

        void refuseNext(int lookups) {
            refused = null;
            refusals.set(lookups);
        }

        void refuseNextOf(int id, int lookups) {
            refused = id;
            refusals.set(lookups);
        }

        @Override
        public int register(String subject, Schema schema) {
            return registry.register(subject, schema);
        }

        @Override
        public int idOf(String subject, Schema schema) {
            return registry.idOf(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            if ((refused == null || refused == id) && refusals.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                readyWhenRefused.add(health.problems().stream().noneMatch(problem -> problem.contains("registry")));
                throw new SchemaRegistryUnavailableException("connection refused");
            }
            return registry.schemaById(id);
        }
    }
}
