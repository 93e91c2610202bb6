package io.agentmediator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real broker, over three partitions: a dependency reported COMPENSATED after it completed reaches, through the
 * resource ledger's partition of the task, the escalation its completion led to in the agent's partition, and closes it
 * before an approver can execute it; an escalation whose dependency stands is executed as approved. And one undone
 * while the intent its completion woke has its claims out rejects that intent before their answer.
 */
@Tag("slow")
class UndoneDependencyIT {

    private static final String SCOPE = "undone-dependency-it";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String POLICY = """
            version: "undone-dependency-it-1"
            defaults: { minConfidence: 0.6 }
            tiers: [MANAGER]
            agents:
              - { id: migrator, capabilities: { actions: ["*"], targets: ["*"] } }
              - { id: verifier, capabilities: { actions: ["*"], targets: ["*"] } }
            approvers:
              - { id: manager, tier: MANAGER }
            executors:
              - { id: executor-1, agents: ["*"] }
            resources:
              - { pattern: "room-*", capacity: 1 }
            # Unsigned answers count: what is tested here is where an undone dependency is told, not who sent it.
            signatures: { approvals: OPTIONAL, outcomes: OPTIONAL }
            """;

    @TempDir Path dir;

    @Test
    void shouldCloseAnEscalationWhoseDependencyIsCompensatedBeforeItsApprovalIsApplied() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            try (MediatorApp app = MediatorApp.start(config(broker, policy, SCOPE), new HealthState());
                    KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                app.awaitRunning(PATIENCE);
                Topics topics = app.topics();
                String bootstrap = broker.bootstrapServers();

                // Given two migration steps executed, and a doubtful verification waiting for each
                IntentRecords.sendAll(producer, topics, List.of(step("m-1", "migrator"), step("m-2", "migrator")));
                awaitDecisions(bootstrap, topics, all -> count(all, DecisionOutcome.EXECUTE) == 2);
                IntentRecords.sendAll(producer, topics, List.of(doubtful("v-1", "m-1"), doubtful("v-2", "m-2")));

                // When both steps complete, each verification escalates
                report(producer, topics, "m-1", OutcomeStatus.COMPLETED);
                report(producer, topics, "m-2", OutcomeStatus.COMPLETED);
                awaitDecisions(bootstrap, topics, all -> count(all, DecisionOutcome.ESCALATE) == 2);

                // And when m-1 is compensated, then both verifications are approved
                report(producer, topics, "m-1", OutcomeStatus.COMPENSATED);
                List<Decision> closed = awaitDecisions(bootstrap, topics, all -> count(all, DecisionOutcome.REJECT) == 1);
                approve(producer, topics, "v-1");
                approve(producer, topics, "v-2");
                List<Decision> decisions = awaitDecisions(bootstrap, topics, all -> count(all, DecisionOutcome.EXECUTE) == 3);

                // Then v-1 was rejected by the mediator, DEPENDENCY_FAILED, and its approval executed nothing
                Decision rejected = closed.stream().filter(d -> d.getOutcome() == DecisionOutcome.REJECT).findFirst().orElseThrow();
                assertThat(rejected.getIntentId()).isEqualTo("v-1");
                assertThat(rejected.getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.DEPENDENCY_FAILED);
                assertThat(rejected.getReasons().get(0).getMessage()).contains("m-1", "COMPENSATED after it had completed");
                // (each decision topic is read in order, the three together are not)
                assertThat(decisions).filteredOn(d -> d.getIntentId().equals("v-1")).extracting(Decision::getOutcome)
                        .containsExactlyInAnyOrder(DecisionOutcome.ESCALATE, DecisionOutcome.REJECT);
                // And v-2, whose step stands, was executed as approved
                assertThat(decisions).filteredOn(d -> d.getIntentId().equals("v-2")).extracting(Decision::getOutcome)
                        .containsExactlyInAnyOrder(DecisionOutcome.ESCALATE, DecisionOutcome.EXECUTE);
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    @Test
    void shouldRejectAWokenIntentWhoseDependencyIsUndoneWhileItsClaimsAreOut() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            try (MediatorApp app = MediatorApp.start(config(broker, policy, SCOPE + "-claims"), new HealthState());
                    KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                app.awaitRunning(PATIENCE);
                Topics topics = app.topics();
                String bootstrap = broker.bootstrapServers();

                // Given a migration step executed, and a booking of a free room waiting for it
                IntentRecords.sendAll(producer, topics, List.of(step("m-1", "migrator")));
                awaitDecisions(bootstrap, topics, all -> count(all, DecisionOutcome.EXECUTE) == 1);
                AgentIntent booking = AgentIntent.newBuilder(step("b-1", "verifier")).setDependsOn(List.of("m-1"))
                        .setClaims(List.of(ResourceClaim.newBuilder().setResourceId("room-1").setQuantity(1).build())).build();
                IntentRecords.sendAll(producer, topics, List.of(booking));

                // When the step is reported COMPLETED and at once COMPENSATED: the ledger's task tells the booking both in one
                // go, and the second reaches it right behind the first, when its claim, sent on waking, is out to the room
                report(producer, topics, "m-1", OutcomeStatus.COMPLETED);
                report(producer, topics, "m-1", OutcomeStatus.COMPENSATED);
                List<Decision> decisions = awaitDecisions(bootstrap, topics, all -> all.size() == 2);

                // Then the booking is rejected DEPENDENCY_FAILED before its claim's answer, and is never executed
                assertThat(decisions).filteredOn(d -> d.getIntentId().equals("b-1")).singleElement().satisfies(d -> {
                    assertThat(d.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
                    assertThat(d.getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.DEPENDENCY_FAILED);
                    assertThat(d.getReasons().get(0).getMessage()).contains("while this intent's claims were out");
                });
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE + "-claims");
        }
    }

    @Test
    void shouldKeepAnEarlierBookingUnderAnIdUsedAgainWhenTheIntentUsingItIsWithdrawnWhileItsClaimIsOut() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        String scope = SCOPE + "-reused";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            // The agent's partition forgets an id after two seconds, and an executed case eight seconds after its last change,
            // where a week and thirty days are the defaults: it refuses an id while it keeps its case.
            MediatorConfig forgetful = config(broker, policy, scope).with(ConfigKeys.DEDUPE_RETENTION, "PT2S")
                    .with(ConfigKeys.CASE_RETENTION, "PT8S").with(ConfigKeys.HOUSEKEEPING_INTERVAL, "PT1S");
            try (MediatorApp app = MediatorApp.start(forgetful, new HealthState());
                    KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                app.awaitRunning(PATIENCE);
                Topics topics = app.topics();
                String bootstrap = broker.bootstrapServers();

                // Given room-1 booked under x-1 with no end, completed, and its case forgotten; then a migration step executed
                IntentRecords.sendAll(producer, topics, List.of(roomFor("x-1", "verifier")));
                awaitDecisions(bootstrap, topics, all -> count(all, DecisionOutcome.EXECUTE) == 1);
                report(producer, topics, "x-1", OutcomeStatus.COMPLETED);
                awaitForgotten(app, "x-1", "verifier");
                IntentRecords.sendAll(producer, topics, List.of(step("m-1", "migrator")));
                awaitDecisions(bootstrap, topics, all -> count(all, DecisionOutcome.EXECUTE) == 2);

                // When x-1 is used again for a booking of room-1 that waits for the step, and the step is reported COMPLETED
                // and at once COMPENSATED: the booking is withdrawn while its claim is out, and every resource the claim was
                // sent to is told to let go of what it took
                AgentIntent again = AgentIntent.newBuilder(roomFor("x-1", "verifier")).setDependsOn(List.of("m-1")).build();
                IntentRecords.sendAll(producer, topics, List.of(again));
                report(producer, topics, "m-1", OutcomeStatus.COMPLETED);
                report(producer, topics, "m-1", OutcomeStatus.COMPENSATED);
                List<Decision> withdrawn = awaitDecisions(bootstrap, topics, all -> count(all, DecisionOutcome.REJECT) == 1);
                assertThat(withdrawn).filteredOn(d -> d.getOutcome() == DecisionOutcome.REJECT).singleElement().satisfies(d -> {
                    assertThat(d.getIntentId()).isEqualTo("x-1");
                    assertThat(d.getReasons()).as("%s", d.getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.DEPENDENCY_FAILED);
                });

                // Then the first booking still holds room-1: another agent's claim on it conflicts, naming x-1
                IntentRecords.sendAll(producer, topics, List.of(roomFor("c-1", "migrator")));
                List<Decision> decisions = awaitDecisions(bootstrap, topics, all -> all.stream().anyMatch(d -> d.getIntentId().equals("c-1")));
                assertThat(decisions).filteredOn(d -> d.getIntentId().equals("c-1")).singleElement().satisfies(d -> {
                    assertThat(d.getOutcome()).as("room-1 is still booked").isEqualTo(DecisionOutcome.ESCALATE);
                    assertThat(d.getReasons()).extracting(Reason::getCode).containsExactly(ReasonCode.RESOURCE_CONFLICT);
                    assertThat(d.getReasons().get(0).getMessage()).contains("intent x-1");
                });
            }
        } finally {
            SchemaRegistryClients.dropScope(scope);
        }
    }

    private MediatorConfig config(EmbeddedKafkaBroker broker, Path policy, String scope) {
        return MediatorConfig.defaults()
                .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + scope)
                .with(ConfigKeys.APPLICATION_ID, scope)
                .with(ConfigKeys.TOPIC_PARTITIONS, "3")
                .with(ConfigKeys.POLICY_FILE, policy.toString())
                .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                .with(ConfigKeys.HTTP_PORT, "0");
    }

    private static AgentIntent step(String intentId, String agentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("migration.step").setTarget("db")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.95).build();
    }

    /** A booking of room-1 with no end: held until released. */
    private static AgentIntent roomFor(String intentId, String agentId) {
        return AgentIntent.newBuilder(step(intentId, agentId))
                .setClaims(List.of(ResourceClaim.newBuilder().setResourceId("room-1").setQuantity(1).build())).build();
    }

    /** A verification under the policy's minimum confidence: it escalates once its step completed. */
    private static AgentIntent doubtful(String intentId, String dependsOn) {
        return AgentIntent.newBuilder(step(intentId, "verifier")).setConfidence(0.1).setCostMicros(1_000_000)
                .setDependsOn(List.of(dependsOn)).build();
    }

    private static void report(KafkaProducer<byte[], byte[]> producer, Topics topics, String intentId, OutcomeStatus status) throws Exception {
        byte[] outcome = topics.outcomeSerde().serializer().serialize(topics.outcomes().name(),
                new Outcome(intentId, status, null, "executor-1", null, null, null));
        producer.send(new ProducerRecord<>(topics.outcomes().name(), intentId.getBytes(StandardCharsets.UTF_8), outcome)).get();
    }

    private static void approve(KafkaProducer<byte[], byte[]> producer, Topics topics, String intentId) throws Exception {
        byte[] approval = topics.approvalSerde().serializer().serialize(topics.approvals().name(),
                new Approval(intentId, "manager", ApprovalDecision.APPROVE, null, null, null));
        producer.send(new ProducerRecord<>(topics.approvals().name(), intentId.getBytes(StandardCharsets.UTF_8), approval)).get();
    }

    /** Waits until the agent's partition no longer holds the intent's case (the case retention passed), as an operator sees it. */
    private static void awaitForgotten(MediatorApp app, String intentId, String agentId) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int status;
        while ((status = HttpGet.get(app.httpPort(), "/cases/" + intentId + "?agent=" + agentId).statusCode()) == 200
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        assertThat(status).as("the case of %s forgotten", intentId).isEqualTo(404);
    }

    /** Every committed decision so far, once {@code done} holds for them. */
    private static List<Decision> awaitDecisions(String bootstrap, Topics topics, Predicate<List<Decision>> done) {
        List<String> names = topics.decisions().stream().map(t -> t.name()).toList();
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommittedUntil(bootstrap, names,
                read -> done.test(decode(topics, read)), PATIENCE);
        List<Decision> decisions = decode(topics, records);
        assertThat(done.test(decisions)).as("decisions so far: %s", decisions).isTrue();
        return decisions;
    }

    private static List<Decision> decode(Topics topics, List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
    }

    private static long count(List<Decision> decisions, DecisionOutcome outcome) {
        return decisions.stream().filter(d -> d.getOutcome() == outcome).count();
    }
}
