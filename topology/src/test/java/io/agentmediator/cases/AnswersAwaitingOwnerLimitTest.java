package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.metrics.MediatorMetrics;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.testing.BuyerAndManager;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Answers for intents nobody decided wait in memory for an owner that never comes: whoever may write approvals can send
 * them without end. At most limits.answers.waiting.max wait at once; the rest are recorded at once, saying why.
 */
class AnswersAwaitingOwnerLimitTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = BuyerAndManager.policy("answers-limit-1");

    private static final Topics TOPICS = new Topics("agent.", new InMemorySchemaRegistry("answers-limit"));

    private final Topics topics = TOPICS;
    private final HealthState health = new HealthState();
    private final MediatorMetrics metrics = new MediatorMetrics(health, 1, Clock.systemUTC());
    private final TopologyTestDriver driver = new TopologyTestDriver(
            MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults().with(ConfigKeys.LIMITS_ANSWERS_WAITING_MAX, "2"), topics,
                    new CurrentPolicy(PolicyParser.parse("answers-limit.yaml", POLICY).policy()), health, UnaryOperator.identity())
                    .withMetrics(metrics.decisions())),
            TestDrivers.streamsSettings(), T0);
    private final TestInputTopic<byte[], byte[]> approvals =
            driver.createInputTopic(topics.approvals().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    private final Map<String, AuditRecord> caseFiles = new LinkedHashMap<>();

    @AfterEach
    void tearDown() {
        driver.close();
        metrics.close();
    }

    @Test
    void shouldKeepNoMoreAnswersWaitingForAnOwnerThanTheLimitAndRecordTheRestAtOnce() {
        // Given two approvals of intents nobody decided, waiting for their owners
        approve("ghost-1", T0);
        approve("ghost-2", T0.plusSeconds(1));
        assertThat(caseFiles()).as("both wait").isEmpty();

        // When a third arrives while they wait
        approve("ghost-3", T0.plusSeconds(2));

        // Then it is recorded at once as matching no case, saying why it was not kept, and counted
        assertThat(metrics.scrape()).contains("mediator_answers_not_kept_total 1.0");
        assertThat(caseFiles().entrySet()).singleElement().satisfies(entry -> {
            assertThat(entry.getKey()).startsWith("ghost-3#approval@agent.approvals-");
            assertThat(entry.getValue().getChecks().get(0).getDetail())
                    .contains("2 answers already wait for theirs (limits.answers.waiting.max): this one was not kept");
        });

        // And the two that waited are recorded once their wait is over, which makes room again
        driver.advanceWallClockTime(Duration.ofSeconds(40));
        assertThat(caseFiles()).hasSize(3).containsKeys(unmatchedKey("ghost-1"), unmatchedKey("ghost-2"));
        assertThat(caseFiles.get(unmatchedKey("ghost-1")).getChecks().get(0).getDetail()).contains("has no open case here");
        approve("ghost-4", T0.plusSeconds(60));
        assertThat(caseFiles()).as("the fourth waits").hasSize(3);
        assertThat(metrics.scrape()).contains("mediator_answers_not_kept_total 1.0");
    }

    @Test
    void shouldKeepNoMoreBytesOfAnswersWaitingForAnOwnerThanTheLimit() {
        // Given a limit of 300,000 bytes of answers waiting, and an approval of an intent nobody decided with a comment of 60,000
        // three-byte characters (180,000 bytes), waiting
        try (TopologyTestDriver small = new TopologyTestDriver(MediatorTopology.build(TopologyParts.of(
                MediatorConfig.defaults().with(ConfigKeys.LIMITS_ANSWERS_WAITING_BYTES, "300000"), topics,
                new CurrentPolicy(PolicyParser.parse("answers-limit.yaml", POLICY).policy()), health, UnaryOperator.identity())),
                TestDrivers.streamsSettings(), T0)) {
            TestInputTopic<byte[], byte[]> input =
                    small.createInputTopic(topics.approvals().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            String comment = "\u4e00".repeat(60_000);
            approve(input, "ghost-1", comment, T0);

            // When a second as large arrives, then a short one
            approve(input, "ghost-2", comment, T0.plusSeconds(1));
            approve(input, "ghost-3", "ok", T0.plusSeconds(2));

            // Then the second is recorded at once, saying which limit, and the short one waits with the first
            Map<String, AuditRecord> recorded = small.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                    topics.audit().valueSerde().deserializer()).readKeyValuesToMap();
            assertThat(recorded.entrySet()).singleElement().satisfies(entry -> {
                assertThat(entry.getKey()).startsWith("ghost-2#approval@agent.approvals-");
                assertThat(entry.getValue().getChecks().get(0).getDetail())
                        .contains("would take more than 300000 bytes with it (limits.answers.waiting.bytes): this one was not kept");
            });
        }
    }

    @Test
    void shouldRecordAnAnswerRefusedWhereItWasReadAtOnceSoForgeriesCannotCrowdOutARealOneWaitingForItsOwner() {
        // Given a limit of two answers waiting, and a writer with no key sending unsigned approvals of intents nobody decided
        try (PipelineDriver mediator = new PipelineDriver(POLICY, T0, MediatorConfig.defaults().with(ConfigKeys.LIMITS_ANSWERS_WAITING_MAX, "2"))) {
            for (int i = 1; i <= 3; i++) {
                mediator.approve(new Approval("junk-" + i, "proc-manager", ApprovalDecision.APPROVE, null, null, null), null, T0);
            }

            // When the manager's signed approval (written after the escalation) is read before its intent's owner
            mediator.approve("po-1", "proc-manager", ApprovalDecision.APPROVE, T0.plusSeconds(3));
            mediator.send(order("po-1"), T0.plusSeconds(2));

            // Then it counts, and each forgery was recorded at once, refused, under a key of its own
            assertThat(mediator.decisions()).filteredOn(d -> d.getIntentId().equals("po-1")).extracting(Decision::getOutcome)
                    .containsExactlyInAnyOrder(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
            assertThat(mediator.caseFiles()).hasSize(4);
            assertThat(mediator.caseFiles().entrySet()).filteredOn(entry -> entry.getKey().startsWith("junk-")).hasSize(3)
                    .allSatisfy(entry -> assertThat(entry.getValue().getChecks().get(0).getDetail())
                            .contains("refused where it was read", "UNSIGNED"));
        }
    }

    private static AgentIntent order(String id) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId("buyer").setAction("purchase.order").setTarget("erp")
                .setCostMicros(100).setCommitmentMicros(5000).setConfidence(0.9).build();
    }

    private void approve(String intentId, Instant at) {
        approve(approvals, intentId, null, at);
    }

    private static void approve(TestInputTopic<byte[], byte[]> input, String intentId, String comment, Instant at) {
        byte[] value = TOPICS.approvalSerde().serializer()
                .serialize(TOPICS.approvals().name(), new Approval(intentId, "proc-manager", ApprovalDecision.APPROVE, comment, null, null));
        input.pipeInput(new TestRecord<>(intentId.getBytes(StandardCharsets.UTF_8), value, TestKeys.signedBy("proc-manager", value), at));
    }

    /** Every case file written so far, by key. */
    private Map<String, AuditRecord> caseFiles() {
        caseFiles.putAll(driver.createOutputTopic(topics.audit().name(), topics.audit().keySerde().deserializer(),
                topics.audit().valueSerde().deserializer()).readKeyValuesToMap());
        return caseFiles;
    }

    private String unmatchedKey(String intentId) {
        return caseFiles.keySet().stream().filter(key -> key.startsWith(intentId + "#approval@")).findFirst().orElse(intentId + "#?");
    }
}
