package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.CommittedDecisions;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes kept in memory for an agent are counted again when the mediator starts: the shipped jar, on the real broker,
 * killed with SIGKILL once an agent's escalations reached {@code limits.agent.kept.bytes}, then started on the same state
 * directory, where its in-memory stores come back from their changelogs and the total, which has no changelog, does not.
 * Counted from nothing, the agent's next escalation would have been kept past its limit.
 */
@Tag("slow")
class AgentKeptBytesIT {

    private static final int LIMIT = 30_000;
    private static final String REASONING = "because ".repeat(500);
    private static final String POLICY = """
            version: "kept-bytes-it-1"
            defaults: { escalationTimeout: PT4H }
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"));

    @TempDir Path dir;

    @Test
    void shouldStillRefuseAnAgentAtItsLimitAfterAKillAndKeepAgainOnceOneIsAnswered() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Contracts.trustGeneratedClasses();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(1).start();
                ApicurioRegistry registry = ApicurioRegistry.start();
                KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of()));
            Map<String, String> settings = Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "application.id", "kept-bytes-it",
                    "schema.registry.url", registry.ccompatUrl(),
                    "policy.file", policy.toString(),
                    "state.dir", dir.resolve("state").toString(),
                    "instance.id", "mediator-0",
                    "limits.agent.kept.bytes", String.valueOf(LIMIT));

            // Given a buyer whose escalations, a long reasoning each, reached its limit
            List<String> escalated;
            try (MediatorProcess mediator = MediatorProcess.start(dir, "kept-before", settings, "-Xmx512m")) {
                List<AgentIntent> first = new ArrayList<>();
                for (int n = 0; n < 10; n++) {
                    first.add(overAuthority("e-" + n));
                }
                IntentRecords.sendAll(producer, topics, first);
                List<Decision> decided = decisions(broker, topics, 10);
                escalated = decided.stream().filter(d -> d.getOutcome() == DecisionOutcome.ESCALATE).map(Decision::getIntentId).toList();
                assertThat(escalated).as("escalated before the limit").hasSizeGreaterThanOrEqualTo(2).hasSizeLessThan(10);
                for (int n = 0; n < 10; n++) {
                    // One partition decides in the order sent: every escalation before the first refusal.
                    Decision decision = of(decided, "e-" + n);
                    if (n < escalated.size()) {
                        assertThat(decision.getOutcome()).as(decision.getIntentId()).isEqualTo(DecisionOutcome.ESCALATE);
                    } else {
                        refusedForTheLimit(decision);
                    }
                }

                // When the mediator is killed and started again on its state directory
                mediator.kill();
            }
            try (MediatorProcess mediator = MediatorProcess.start(dir, "kept-after", settings, "-Xmx512m")) {
                // Then, before anything new arrives, its first housekeeping run has counted what the buyer keeps, for the metrics
                assertThat(keptAsScraped(mediator)).as("mediator_agent_kept_bytes of the buyer").isGreaterThanOrEqualTo(LIMIT);

                // And the buyer's next escalation is still refused, while what is decided at once is not
                IntentRecords.sendAll(producer, topics, List.of(overAuthority("e-after-restart"), routine("routine")));
                List<Decision> decided = decisions(broker, topics, 12);
                refusedForTheLimit(of(decided, "e-after-restart"));
                assertThat(of(decided, "routine").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

                // And once a manager denies one of its escalations, the next is kept again
                AvroSerde<Approval> approvals = registry.serde(Approval.class);
                byte[] denial = approvals.serializer().serialize(topics.approvals().name(),
                        new Approval(escalated.get(0), "manager", ApprovalDecision.DENY, "no", null, null));
                producer.send(new ProducerRecord<>(topics.approvals().name(), null, null, bytes(escalated.get(0)), denial,
                        TestKeys.signedBy("manager", denial))).get();
                assertThat(decisions(broker, topics, 13)).as("the denial").anySatisfy(d -> {
                    assertThat(d.getIntentId()).isEqualTo(escalated.get(0));
                    assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
                });
                IntentRecords.sendAll(producer, topics, List.of(overAuthority("e-after-denial")));
                assertThat(of(decisions(broker, topics, 14), "e-after-denial").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
                assertThat(mediator.process().isAlive()).as("see " + mediator.log()).isTrue();
            }
        }
    }

    /** The buyer's {@code mediator_agent_kept_bytes} once a scrape shows it (housekeeping runs every 10 s). */
    private static double keptAsScraped(MediatorProcess mediator) throws Exception {
        String series = "mediator_agent_kept_bytes{agent=\"buyer\"} ";
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() - giveUpAt < 0) {
            Optional<String> line = HttpGet.get(mediator.httpPort(), "/metrics").body().lines().filter(l -> l.startsWith(series)).findFirst();
            if (line.isPresent()) {
                return Double.parseDouble(line.get().substring(series.length()).trim());
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no " + series + "in a minute of scrapes");
    }

    private static void refusedForTheLimit(Decision decision) {
        assertThat(decision.getOutcome()).as(decision.getIntentId()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(decision.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.RATE_LIMITED);
            assertThat(reason.getMessage()).contains("limits.agent.kept.bytes");
        });
    }

    private static AgentIntent overAuthority(String intentId) {
        return AgentIntent.newBuilder(routine(intentId)).setCommitmentMicros(5_000).build();
    }

    private static AgentIntent routine(String intentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("buyer").setAction("purchase-order.create").setTarget("erp")
                .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.9).setReasoning(REASONING).build();
    }

    private static List<Decision> decisions(EmbeddedKafkaBroker broker, Topics topics, int expected) {
        return CommittedDecisions.read(broker.bootstrapServers(), topics, expected, Duration.ofSeconds(120));
    }

    private static Decision of(List<Decision> decisions, String intentId) {
        return decisions.stream().filter(d -> d.getIntentId().equals(intentId)).reduce((first, second) -> {
            throw new AssertionError("two decisions on " + intentId);
        }).orElseThrow(() -> new AssertionError("no decision on " + intentId));
    }


    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
