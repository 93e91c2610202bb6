package io.agentmediator.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.ledger.LedgerKey;
import io.agentmediator.ledger.LedgerRequests;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On the real broker: an approval sent while the intent it names is out to the resource ledger answers a decision nobody
 * could see yet. Such a decision is dated at its intent's arrival, and the approval, appended after it, used to approve
 * the RESOURCE_CONFLICT escalation made after it: the room was booked twice. Its case file now says when it was made. Here the ledger has a backlog of requests
 * for the same room ahead of the intent's claim, so its claims are out for seconds, and the approval is sent meanwhile.
 */
@Tag("slow")
class AnswerWhileClaimsOutIT {

    private static final String SCOPE = "answer-while-claims-out-it";
    private static final int BACKLOG = 60_000;
    private static final String POLICY = """
            version: "claims-out-1"
            defaults: { escalationTimeout: PT4H, conflictTier: MANAGER }
            tiers: [MANAGER]
            agents:
              - id: ops-planner
                capabilities: { actions: ["*"], targets: ["*"] }
              - id: facilities-bot
                capabilities: { actions: ["*"], targets: ["*"] }
            resources:
              - { pattern: "room:*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"));

    @TempDir Path dir;

    /**
     * @param createTimeAsked the mediator is set to take producers' times for intents (a replay's setting) on an intents
     *                        topic that the broker stamps all the same: the topic decides, and its intents are the broker's
     */
    @ParameterizedTest(name = "CreateTime asked of a broker-stamped intents topic: {0}")
    @ValueSource(booleans = {false, true})
    void anApprovalSentWhileTheClaimsWereOutDoesNotApproveTheConflictFoundAfterIt(boolean createTimeAsked) throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Map<String, String> settings = new HashMap<>(Map.of(
                ConfigKeys.SCHEMA_REGISTRY_URL.name(), "mock://" + SCOPE,
                ConfigKeys.APPLICATION_ID.name(), SCOPE,
                ConfigKeys.POLICY_FILE.name(), policy.toString(),
                ConfigKeys.TOPIC_PARTITIONS.name(), "1",
                ConfigKeys.STATE_DIR.name(), Files.createDirectories(dir.resolve("state")).toString(),
                ConfigKeys.HTTP_PORT.name(), "0"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            settings.put(ConfigKeys.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
            if (createTimeAsked) {
                settings.put(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE.name(), "CreateTime");
                try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
                    admin.createTopics(List.of(new NewTopic("agent.intents", 1, (short) 1)
                            .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();
                }
            }
            answerWhileClaimsOut(broker, MediatorConfig.layered(Map.of(), Map.of(), settings));
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static void answerWhileClaimsOut(EmbeddedKafkaBroker broker, MediatorConfig config) throws Exception {
        try (MediatorApp app = MediatorApp.start(config, new HealthState());
                KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            app.awaitRunning(Duration.ofSeconds(60));
            Topics topics = app.topics();
            Instant nine = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);

            // Given room:y booked by facilities-bot
            producer.send(IntentRecords.of(topics, booking("h-1", "facilities-bot", nine))).get();
            assertThat(decisions(broker, topics, "h-1", 1)).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.EXECUTE);

            // When ops-planner claims the same hour behind a backlog of requests for room:y at the ledger (one transaction,
            // so that the mediator reads them together), and a manager approves c-2 while its claim waits behind them
            String room = LedgerKey.resource("room:y").toString();
            long claimedAt;
            try (KafkaProducer<byte[], byte[]> backlog = KafkaTestClients.producer(broker.bootstrapServers(),
                    Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, SCOPE + "-backlog"))) {
                backlog.initTransactions();
                backlog.beginTransaction();
                for (int i = 0; i < BACKLOG; i++) {
                    backlog.send(new ProducerRecord<>(topics.ledgerRequests().name(), room.getBytes(StandardCharsets.UTF_8),
                            topics.ledgerRequests().valueSerde().serializer().serialize(topics.ledgerRequests().name(),
                                    LedgerRequests.release("backlog-" + i, "nobody", Instant.now()))));
                }
                claimedAt = backlog.send(IntentRecords.of(topics, booking("c-2", "ops-planner", nine))).get().timestamp();
                backlog.commitTransaction();
            }
            Thread.sleep(300);
            byte[] approval = topics.approvalSerde().serializer().serialize(topics.approvals().name(),
                    new Approval("c-2", "manager", ApprovalDecision.APPROVE, "go ahead", null, null));
            long approvedAt = producer.send(new ProducerRecord<>(topics.approvals().name(), null, null, "c-2".getBytes(StandardCharsets.UTF_8),
                    approval, TestKeys.signedBy("manager", approval))).get().timestamp();

            // Then c-2 is escalated; the approval, once read, is written into its case file as not applied, and the
            // escalation stays open
            Decision escalated = decisions(broker, topics, "c-2", 1).get(0);
            assertThat(escalated.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
            AuditRecord caseFile = approvalNoted(broker, topics, "c-2");
            assertThat(step(caseFile, "APPROVAL").getDetail()).contains("APPROVE not applied", "before the escalation it would answer was decided");
            assertThat(decisions(broker, topics, "c-2", 2)).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.ESCALATE);
            // Dated at the intent's arrival, its case file saying it was made when the ledger answered, after the approval
            assertThat(escalated.getDecidedAt()).isEqualTo(Instant.ofEpochMilli(claimedAt));
            assertThat(step(caseFile, "DECIDED").getAt()).as("approved at %s", Instant.ofEpochMilli(approvedAt))
                    .isAfter(Instant.ofEpochMilli(approvedAt));
        }
    }

    private static AgentIntent booking(String intentId, String agentId, Instant from) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("resource.book").setTarget("calendar")
                .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.95)
                .setClaims(List.of(new ResourceClaim("room:y", 1L, from, from.plus(Duration.ofHours(1))))).build();
    }

    /** The committed decisions on {@code intentId}, waiting up to 60 s for {@code expected} of them. */
    private static List<Decision> decisions(EmbeddedKafkaBroker broker, Topics topics, String intentId, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommittedUntil(broker.bootstrapServers(),
                topics.decisions().stream().map(topic -> topic.name()).toList(),
                arrived -> of(topics, arrived, intentId).size() >= expected, Duration.ofSeconds(expected == 1 ? 60 : 5));
        return of(topics, records, intentId);
    }

    private static List<Decision> of(Topics topics, List<ConsumerRecord<byte[], byte[]>> records, String intentId) {
        return records.stream().map(record -> topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value()))
                .filter(decision -> decision.getIntentId().equals(intentId)).toList();
    }

    /** The intent's case file once it records the approval, waiting up to 60 s for the approval to be read. */
    private static AuditRecord approvalNoted(EmbeddedKafkaBroker broker, Topics topics, String intentId) {
        List<AuditRecord> noted = new ArrayList<>();
        KafkaTestClients.readCommittedUntil(broker.bootstrapServers(), List.of(topics.audit().name()), records -> {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                AuditRecord caseFile = topics.audit().valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (caseFile.getIntentId().equals(intentId) && caseFile.getTimeline().stream().anyMatch(step -> step.getEvent().equals("APPROVAL"))) {
                    noted.add(caseFile);
                }
            }
            return !noted.isEmpty();
        }, Duration.ofSeconds(60));
        assertThat(noted).as("the approval of " + intentId + " in its case file").isNotEmpty();
        return noted.get(0);
    }

    /** The last step of {@code event} in the case file. */
    private static TimelineEntry step(AuditRecord caseFile, String event) {
        return caseFile.getTimeline().stream().filter(step -> step.getEvent().equals(event)).reduce((first, second) -> second).orElseThrow();
    }
}
