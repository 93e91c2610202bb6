package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.policyreload.PolicyPublisher;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill switch, and a policy that drops an agent, against an intent already out to the resource
 * ledger, on the real broker with two mediator processes: the instance holding the resource's
 * partition is frozen (SIGSTOP) while an agent on the other instance claims it, so the claim waits;
 * the agents are barred (every agent suspended, or a policy published without them); then the frozen
 * instance thaws and the ledger grants. The waiting intent is rejected (AGENT_SUSPENDED or
 * UNKNOWN_AGENT), not executed, and the room is free again for an agent the bar no longer covers.
 *
 * <p>Which instance holds which partition is Kafka's choice, so two agents claim crosswise: each agent's
 * partition is the other's resource partition, and whichever instance is frozen, one claim waits on it.
 * The one frozen is the one that does not read the policies topic's partition: a published policy is
 * validated by the task reading it, and must be in force on the awake instance before the other thaws.
 */
@Tag("slow")
class SuspendedWhileClaimingIT {

    private static final String APPLICATION_ID = "suspended-while-claiming-it";
    private static final int PARTITIONS = 2;
    /** Tomorrow, so housekeeping never drops the holds as past. */
    private static final Instant NINE = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1));
    private static final String POLICY = """
            version: "suspended-while-claiming-it-1"
            tiers: [MANAGER]
            agents:
              - { id: "%s", capabilities: { actions: ["*"], targets: ["*"] } }
              - { id: "%s", capabilities: { actions: ["*"], targets: ["*"] } }
              - { id: "%s", capabilities: { actions: ["*"], targets: ["*"] } }
            resources:
              - { pattern: "room-*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER }
            """;

    /** The next version, which lists only the agent that claims after the bar. */
    private static final String DROPPING = """
            version: "suspended-while-claiming-it-2"
            tiers: [MANAGER]
            agents:
              - { id: "%s", capabilities: { actions: ["*"], targets: ["*"] } }
            resources:
              - { pattern: "room-*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER }
            """;

    @TempDir Path dir;

    /** How the two claiming agents are barred while their claims are out, and how the bar is lifted for the third agent. */
    private interface Bar {
        /** Bars the two claiming agents, not {@code later}. */
        void apply(MediatorConfig config, String later) throws Exception;

        /** The series of {@code /metrics} an instance shows once it has the bar. */
        String shownAs();

        /** Lets the third agent act again, returning the series that shows it, or null if the bar never stopped it. */
        String lift(MediatorConfig config) throws Exception;
    }

    @Test
    void shouldRejectAClaimingIntentOfAnAgentSuspendedWhileItsClaimsWereOutAndGiveTheRoomBack() throws Exception {
        waitingClaimsMeet(new Bar() {
            @Override
            public void apply(MediatorConfig config, String later) throws Exception {
                new ControlPublisher(config).publish(Suspensions.ALL, new Control(ControlAction.SUSPEND, "incident 7", "sre", Instant.now()), null);
            }

            @Override
            public String shownAs() {
                return "mediator_agent_suspended{agent=\"*\"";
            }

            @Override
            public String lift(MediatorConfig config) throws Exception {
                new ControlPublisher(config).publish(Suspensions.ALL, new Control(ControlAction.RESUME, "incident closed", "sre", Instant.now()), null);
                return shownAs();
            }
        }, ReasonCode.AGENT_SUSPENDED);
    }

    @Test
    void shouldRejectAClaimingIntentOfAnAgentThePolicyDroppedWhileItsClaimsWereOutAndGiveTheRoomBack() throws Exception {
        waitingClaimsMeet(new Bar() {
            @Override
            public void apply(MediatorConfig config, String later) throws Exception {
                new PolicyPublisher(config).publish(PolicyParser.parse("dropping.yaml", DROPPING.formatted(later)).policy());
            }

            @Override
            public String shownAs() {
                return "mediator_policy_info{version=\"suspended-while-claiming-it-2\"";
            }

            @Override
            public String lift(MediatorConfig config) {
                return null;
            }
        }, ReasonCode.UNKNOWN_AGENT);
    }

    private void waitingClaimsMeet(Bar bar, ReasonCode expected) throws Exception {
        String onZero = agentOn(0);
        String onOne = agentOn(1);
        String later = agentOn(0, onZero);
        String roomOnOne = roomOn(1);
        String roomOnZero = roomOn(0);
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY.formatted(onZero, onOne, later));
        Contracts.trustGeneratedClasses();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                ApicurioRegistry registry = ApicurioRegistry.start()) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of()));
            Map<String, String> settings = Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "application.id", APPLICATION_ID,
                    "schema.registry.url", registry.ccompatUrl(),
                    "policy.file", policy.toString(),
                    "topic.partitions", String.valueOf(PARTITIONS));
            MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, registry.ccompatUrl());
            try (MediatorProcess one = MediatorProcess.start(dir, "claiming-one", with(settings, "state.dir", dir.resolve("a")), "-Xmx512m");
                    MediatorProcess two = MediatorProcess.start(dir, "claiming-two", with(settings, "state.dir", dir.resolve("b")), "-Xmx512m")) {
                awaitOnePartitionEach(broker);
                // A published policy is validated by the task that reads its partition of the policies topic: that one stays awake.
                MediatorProcess awake = validatingPolicies(broker, config, one, two);
                MediatorProcess frozen = awake == one ? two : one;

                // Given the instance holding one of the two partitions frozen, and two claims sent crosswise
                frozen.freeze();
                try {
                    send(broker, registry, topics, claim("first", onZero, roomOnOne), claim("second", onOne, roomOnZero));
                    // the awake instance decided its agent's intent up to the claim, which waits for the frozen ledger
                    assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topics.ledgerRequests().name()), 1,
                            Duration.ofSeconds(60))).as("the claim request of the awake instance's agent").hasSize(1);

                    // When the claiming agents are barred, and the awake instance knows it
                    bar.apply(config, later);
                    awaitMetric(awake, bar.shownAs(), true);
                } finally {
                    frozen.thaw();
                }
                awaitMetric(frozen, bar.shownAs(), true);

                // Then neither intent executes: the one whose claim was out is rejected when the ledger answers
                Map<String, Decision> decided = decisions(broker, topics, 2);
                assertThat(decided.values()).allSatisfy(decision -> {
                    assertThat(decision.getOutcome()).as(decision.getIntentId()).isEqualTo(DecisionOutcome.REJECT);
                    assertThat(decision.getReasons()).extracting(Reason::getCode).containsExactly(expected);
                });
                assertThat(decided.values()).anySatisfy(decision ->
                        assertThat(decision.getReasons().get(0).getMessage()).contains("while this intent waited for its claims"));

                // And once the bar is lifted, the rooms are free: what the ledger granted the rejected intent went back
                String lifted = bar.lift(config);
                if (lifted != null) {
                    awaitMetric(awake, lifted, false);
                    awaitMetric(frozen, lifted, false);
                }
                send(broker, registry, topics, claim("third", later, roomOnOne), claim("fourth", later, roomOnZero));
                Map<String, Decision> after = decisions(broker, topics, 4);
                assertThat(List.of(after.get("third"), after.get("fourth"))).allSatisfy(decision ->
                        assertThat(decision.getOutcome()).as(decision.getIntentId() + ": " + decision.getReasons())
                                .isEqualTo(DecisionOutcome.EXECUTE));
            }
        }
    }

    private static Map<String, String> with(Map<String, String> settings, String key, Path value) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(key, value.toString());
        return all;
    }

    /**
     * Until the group is stable with two members, each holding one intents partition and the ledger
     * requests of the same number (one sub-topology: a task decides the agents of its partition and keeps
     * the ledger of the resources there), which is what makes the claims crosswise.
     */
    private static void awaitOnePartitionEach(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            long giveUpAt = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get().get(APPLICATION_ID);
            while (!onePartitionEach(group) && System.nanoTime() - giveUpAt < 0) {
                Thread.sleep(250);
                group = admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get().get(APPLICATION_ID);
            }
            assertThat(onePartitionEach(group)).as("two members with one intents partition each: %s", group).isTrue();
        }
    }

    private static boolean onePartitionEach(ConsumerGroupDescription group) {
        return group.groupState() == GroupState.STABLE && group.members().size() == 2
                && group.members().stream().allMatch(member -> {
                    Set<Integer> intents = partitionsOf(member, "agent.intents");
                    return intents.size() == 1 && intents.equals(partitionsOf(member, "agent.ledger-requests"));
                });
    }

    /** The instance whose task reads the partition of the policies topic that the policy is published to. */
    private static MediatorProcess validatingPolicies(EmbeddedKafkaBroker broker, MediatorConfig config, MediatorProcess... mediators)
            throws Exception {
        String topic = "agent.policies";
        try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            int partition = Utils.toPositive(Utils.murmur2(config.get(ConfigKeys.POLICY_ID).getBytes(StandardCharsets.UTF_8))) % partitions;
            MemberDescription owner = admin.describeConsumerGroups(List.of(APPLICATION_ID)).all().get().get(APPLICATION_ID).members().stream()
                    .filter(member -> partitionsOf(member, topic).contains(partition)).findFirst().orElseThrow();
            for (MediatorProcess mediator : mediators) {
                // The consumer's client id starts with the Kafka Streams client id, a label of every kafka_stream_* series.
                Matcher client = Pattern.compile("kafka_stream_alive_stream_threads\\{client_id=\"([^\"]+)\"")
                        .matcher(HttpGet.get(mediator.httpPort(), "/metrics").body());
                if (client.find() && owner.clientId().startsWith(client.group(1) + "-")) {
                    return mediator;
                }
            }
            throw new AssertionError("no instance is " + owner.clientId());
        }
    }

    private static Set<Integer> partitionsOf(MemberDescription member, String topic) {
        return member.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
                .map(TopicPartition::partition).collect(Collectors.toSet());
    }

    private static void awaitMetric(MediatorProcess mediator, String series, boolean present) throws Exception {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (HttpGet.get(mediator.httpPort(), "/metrics").body().contains(series) != present && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(100);
        }
        assertThat(HttpGet.get(mediator.httpPort(), "/metrics").body().contains(series)).as(series + " shown").isEqualTo(present);
    }

    private static void send(EmbeddedKafkaBroker broker, ApicurioRegistry registry, Topics topics, AgentIntent... intents) throws Exception {
        AvroSerde<AgentIntent> serde = new AvroSerde<>(AgentIntent.class);
        serde.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (AgentIntent intent : intents) {
                producer.send(new ProducerRecord<>(topics.intents().name(), intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                        serde.serializer().serialize(topics.intents().name(), intent))).get();
            }
        }
    }

    private static Map<String, Decision> decisions(EmbeddedKafkaBroker broker, Topics topics, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                topics.decisions().stream().map(t -> t.name()).toList(), expected, Duration.ofSeconds(90));
        Map<String, Decision> byIntent = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Decision decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
            assertThat(byIntent.put(decision.getIntentId(), decision)).as("a second decision for " + decision.getIntentId()).isNull();
        }
        assertThat(byIntent).as("decisions").hasSize(expected);
        return byIntent;
    }

    private static AgentIntent claim(String intentId, String agentId, String room) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("room.book").setTarget("calendar")
                .setCostMicros(1_000_000).setCommitmentMicros(0).setConfidence(0.99)
                .setClaims(List.of(new ResourceClaim(room, 1L, NINE, NINE.plus(Duration.ofHours(1))))).build();
    }

    /** An agent id whose intents land on {@code partition} (the Java producer's murmur2 of the key), other than {@code not}. */
    private static String agentOn(int partition, String... not) {
        return IntStream.range(0, 100).mapToObj(i -> "agent-" + i)
                .filter(id -> partitionOf(id) == partition && !List.of(not).contains(id)).findFirst().orElseThrow();
    }

    /** A room whose ledger entry ({@code resource:<id>}) lives on {@code partition}. */
    private static String roomOn(int partition) {
        return IntStream.range(0, 100).mapToObj(i -> "room-" + i)
                .filter(id -> partitionOf("resource:" + id) == partition).findFirst().orElseThrow();
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}
