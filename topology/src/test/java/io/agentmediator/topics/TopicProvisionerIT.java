package io.agentmediator.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKey;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.testing.CapturedLog;
import io.agentmediator.testing.KafkaTestClients;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("slow")
class TopicProvisionerIT {

    private static EmbeddedKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldCreateEveryMissingTopicAndCompactTheAuditAndPolicyTopics() throws Exception {
        Topics topics = new Topics("created.", new InMemorySchemaRegistry("t"));

        new TopicProvisioner(admin, 2, (short) 1, true).provision(topics.all());

        Set<String> names = admin.listTopics().names().get();
        assertThat(names).containsAll(topics.all().stream().map(TopicSpec::name).toList());
        TopicDescription intents = admin.describeTopics(List.of(topics.intents().name())).allTopicNames().get().get(topics.intents().name());
        assertThat(intents.partitions()).hasSize(2);
        assertThat(cleanupPolicy(topics.audit().name())).isEqualTo("compact");
        assertThat(cleanupPolicy(topics.policies().name())).isEqualTo("compact");
        assertThat(cleanupPolicy(topics.execute().name())).isEqualTo("delete");
    }

    @Test
    void shouldLeaveExistingTopicsAsTheyAreWhenProvisionedAgain() throws Exception {
        Topics topics = new Topics("again.", new InMemorySchemaRegistry("t"));
        TopicProvisioner provisioner = new TopicProvisioner(admin, 1, (short) 1, true);

        provisioner.provision(topics.all());
        provisioner.provision(topics.all());

        assertThat(admin.listTopics().names().get()).contains(topics.audit().name());
    }

    @Test
    void shouldRefuseToStartOnAnAuditTopicThatIsNotCompacted() throws Exception {
        Topics topics = new Topics("wrong.", new InMemorySchemaRegistry("t"));
        admin.createTopics(List.of(new NewTopic(topics.audit().name(), 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)))).all().get();

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1, (short) 1, true).provision(topics.all()))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining(topics.audit().name())
                .hasMessageContaining("cleanup.policy=delete")
                .hasMessageContaining("--add-config cleanup.policy=compact")
                .message()
                .doesNotContain(topics.policies().name());
    }

    @Test
    void shouldRefuseToStartOnAControlsTopicThatRetentionAlsoDeletes() throws Exception {
        // Given the kill switches in force in a topic created compacted and deleted after retention, as some organisations'
        // defaults make new topics
        Topics topics = new Topics("compact-delete.", new InMemorySchemaRegistry("t"));
        admin.createTopics(List.of(new NewTopic(topics.controlsAccepted().name(), 1, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete")))).all().get();

        // Then the mediator refuses them, saying how to fix it
        assertThatThrownBy(() -> new TopicProvisioner(admin, 1, (short) 1, true).provision(topics.all()))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining("topic " + topics.controlsAccepted().name() + " has cleanup.policy=compact,delete")
                .hasMessageContaining("--add-config cleanup.policy=compact");
    }

    @Test
    void shouldNameTheMissingTopicsWhenCreationIsOff() {
        Topics topics = new Topics("absent.", new InMemorySchemaRegistry("t"));

        assertThatThrownBy(() -> new TopicProvisioner(admin, 1, (short) 1, false).provision(topics.all()))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining(topics.intents().name() + " (message.timestamp.type=LogAppendTime)")
                .hasMessageContaining(topics.audit().name() + " (cleanup.policy=compact)")
                .hasMessageContaining("topic.create=false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"intents", "approvals", "outcomes"})
    void shouldHaveTheBrokerStampABackDatedRecordWithItsOwnTime(String suffix) throws Exception {
        // Given the topic as the mediator creates it
        Topics topics = new Topics("stamped-" + suffix + ".", new InMemorySchemaRegistry("t"));
        TopicSpec<?, ?> topic = stamped(topics, suffix);
        new TopicProvisioner(admin, 1, (short) 1, true).provision(topics.all());
        assertThat(topicConfig(topic.name(), TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)).isEqualTo("LogAppendTime");

        // When an agent, approver or executor sends a record back-dated by 30 days
        Instant sentAfter = Instant.now();
        Instant backDated = sentAfter.minus(Duration.ofDays(30));
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic.name(), null, backDated.toEpochMilli(), "key".getBytes(), "value".getBytes())).get();
        }

        // Then the record the mediator reads carries the broker's time of arrival, not the sender's
        ConsumerRecord<byte[], byte[]> read = KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topic.name()), 1,
                Duration.ofSeconds(30)).get(0);
        assertThat(read.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(Instant.ofEpochMilli(read.timestamp())).isAfterOrEqualTo(sentAfter.truncatedTo(ChronoUnit.MILLIS)).isBefore(Instant.now().plusMillis(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"intents", "approvals", "outcomes"})
    void shouldRefuseATopicWhoseProducersChooseTheTimeUnlessItsEscapeHatchAsks(String suffix) throws Exception {
        // Given the topic created by someone with Kafka's default, CreateTime
        Topics topics = new Topics("producer-time-" + suffix + ".", new InMemorySchemaRegistry("t"));
        TopicSpec<?, ?> topic = stamped(topics, suffix);
        ConfigKey escapeHatch = topic.brokerTime().escapeHatch();
        admin.createTopics(List.of(new NewTopic(topic.name(), 1, (short) 1))).all().get();

        // Then the mediator refuses it, with the command that fixes it and the key that would accept it
        assertThatThrownBy(() -> new TopicProvisioner(admin, 1, (short) 1, true).provision(topics.all()))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining("topic " + topic.name() + " has message.timestamp.type=CreateTime")
                .hasMessageContaining("kafka-configs.sh --bootstrap-server <brokers> --alter --entity-type topics --entity-name "
                        + topic.name() + " --add-config message.timestamp.type=LogAppendTime")
                .hasMessageContaining("topic." + suffix + ".timestamp.type=CreateTime");
        // And not when another topic's escape hatch is set
        ConfigKey another = escapeHatch.equals(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE)
                ? ConfigKeys.TOPIC_OUTCOMES_TIMESTAMP_TYPE : ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE;
        assertThatThrownBy(() -> new TopicProvisioner(admin, 1, (short) 1, true, Map.of(another, TimestampType.CREATE_TIME))
                .provision(topics.all())).hasMessageContaining("topic " + topic.name() + " has message.timestamp.type=CreateTime");
        // And accepts it only when producer time is asked for explicitly, for that topic
        new TopicProvisioner(admin, 1, (short) 1, true, Map.of(escapeHatch, TimestampType.CREATE_TIME)).provision(topics.all());
        assertThat(topicConfig(topic.name(), TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)).isEqualTo("CreateTime");
    }

    @Test
    void shouldSayWhenProducerTimeIsAskedForATopicTheBrokerStamps() throws Exception {
        // Given the intents topic as the mediator creates it, broker-stamped
        Topics topics = new Topics("asked-producer-time.", new InMemorySchemaRegistry("t"));
        new TopicProvisioner(admin, 1, (short) 1, true).provision(topics.all());

        // When a replay asks for the producers' times and the mediator starts on it as it is
        try (CapturedLog log = new CapturedLog(TopicProvisioner.class)) {
            TopicProvisioner asking = new TopicProvisioner(admin, 1, (short) 1, true,
                    Map.of(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE, TimestampType.CREATE_TIME));
            asking.provision(topics.all());
            // (and the intents are known for what they are, the broker's, which is what the mediator goes by)
            assertThat(asking.stampedByBroker("asked-producer-time.intents")).isTrue();
            assertThat(asking.stampedByBroker("asked-producer-time.audit")).isFalse();

            // Then it says the broker would stamp the replay, with the command that keeps its times; the start goes on
            assertThat(log.messages(Level.WARN)).anySatisfy(warning -> assertThat(warning)
                    .contains("topic.intents.timestamp.type=CreateTime asks for the producers' times, but topic asked-producer-time.intents"
                            + " has message.timestamp.type=LogAppendTime")
                    .contains("--entity-name asked-producer-time.intents --add-config message.timestamp.type=CreateTime"));
            assertThat(log.messages(Level.WARN)).noneSatisfy(warning -> assertThat(warning).contains("asked-producer-time.outcomes has"));
        }
        assertThat(topicConfig("asked-producer-time.intents", TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)).isEqualTo("LogAppendTime");
    }

    @Test
    void shouldStopTheMediatorsStartOnAnOutcomesTopicWhoseProducersChooseTheTime() throws Exception {
        // Given an outcomes topic created with Kafka's default, CreateTime, and the other topics as the mediator makes them
        admin.createTopics(List.of(new NewTopic("starting.outcomes", 1, (short) 1))).all().get();

        // When the mediator starts, then it stops there, saying why and how to fix it
        assertThat(startFailure("starting"))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining("topic starting.outcomes has message.timestamp.type=CreateTime")
                .hasMessageContaining("case.retention")
                .hasMessageContaining("topic.outcomes.timestamp.type=CreateTime");
    }

    @Test
    void shouldKeepTheProducersTimesOnTheTopicsItCreatesWhereTheBrokersDefaultIsLogAppendTime() throws Exception {
        // Given a cluster whose topics are broker-stamped unless they say otherwise
        try (EmbeddedKafkaBroker stamping = EmbeddedKafkaBroker.builder().brokerProperty("log.message.timestamp.type", "LogAppendTime").start();
                Admin onIt = Admin.create(KafkaTestClients.adminConfig(stamping.bootstrapServers()))) {
            Topics topics = new Topics("stamping.", new InMemorySchemaRegistry("t"));

            // When the mediator creates its topics there
            TopicProvisioner provisioner = new TopicProvisioner(onIt, 1, (short) 1, true);
            provisioner.provision(topics.required());

            // Then the ones it moves records through keep the times it gives them, the agents' topics are broker-stamped, and
            // the rest left to the cluster
            for (TopicSpec<?, ?> topic : topics.timedByTheirRecords()) {
                assertThat(topicConfig(onIt, topic.name(), TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)).as(topic.name()).isEqualTo("CreateTime");
            }
            assertThat(topicConfig(onIt, topics.intents().name(), TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)).isEqualTo("LogAppendTime");
            assertThat(topicConfig(onIt, topics.audit().name(), TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG)).isEqualTo("LogAppendTime");
        }
    }

    @Test
    void shouldKeepTheRecordsInTransitUntilReadOnTheTopicsItCreates() throws Exception {
        Topics topics = new Topics("transit.", new InMemorySchemaRegistry("t"));

        new TopicProvisioner(admin, 1, (short) 1, true).provision(topics.required());

        // Every hop between its own tasks keeps what is unread whatever its time, in segments small enough to free soon once read
        assertThat(topics.timedByTheirRecords()).hasSize(7);
        for (TopicSpec<?, ?> topic : topics.timedByTheirRecords()) {
            assertThat(topicConfig(topic.name(), TopicConfig.RETENTION_MS_CONFIG)).as(topic.name()).isEqualTo("-1");
            assertThat(topicConfig(topic.name(), TopicConfig.RETENTION_BYTES_CONFIG)).as(topic.name()).isEqualTo("-1");
            assertThat(topicConfig(topic.name(), TopicConfig.SEGMENT_BYTES_CONFIG)).as(topic.name()).isEqualTo("52428800");
        }
        // And the topics others read keep the cluster's retention: the mediator does not purge them
        assertThat(topicConfig(topics.execute().name(), TopicConfig.RETENTION_MS_CONFIG)).isEqualTo("604800000");
        assertThat(topicConfig(topics.intentsDlq().name(), TopicConfig.RETENTION_MS_CONFIG)).isEqualTo("604800000");
    }

    @Test
    void shouldSayHowToKeepTheRecordsInTransitOfATopicCreatedWithARetentionAndStartAnyway() throws Exception {
        // Given the ledger requests created by an earlier version, with Kafka's default retention
        admin.createTopics(List.of(new NewTopic("aged.ledger-requests", 1, (short) 1)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime")))).all().get();
        Topics topics = new Topics("aged.", new InMemorySchemaRegistry("t"));

        // When the mediator provisions its topics
        try (CapturedLog log = new CapturedLog(TopicProvisioner.class)) {
            new TopicProvisioner(admin, 1, (short) 1, true).provision(topics.required());

            // Then it goes on, saying which topic deletes by time and the command that keeps its records until read
            assertThat(log.messages(Level.WARN)).filteredOn(message -> message.contains("aged.ledger-requests")).singleElement()
                    .satisfies(message -> assertThat(message)
                            .contains("topic aged.ledger-requests has retention.ms=604800000 and retention.bytes=-1")
                            .contains("--entity-name aged.ledger-requests --add-config retention.bytes=-1,retention.ms=-1,segment.bytes=52428800"));
            assertThat(log.messages(Level.WARN)).noneMatch(message -> message.contains("aged.case-events"));
        }
        assertThat(topicConfig("aged.ledger-requests", TopicConfig.RETENTION_MS_CONFIG)).as("left as it was").isEqualTo("604800000");
    }

    @Test
    void shouldNameTheTopicsWhoseRetentionAReplayWithProducersTimesMustOutlast() throws Exception {
        Topics topics = new Topics("replay.", new InMemorySchemaRegistry("t"));

        // When the mediator provisions its topics for a replay of intents with their own times
        try (CapturedLog log = new CapturedLog(TopicProvisioner.class)) {
            new TopicProvisioner(admin, 1, (short) 1, true, Map.of(ConfigKeys.TOPIC_INTENTS_TIMESTAMP_TYPE, TimestampType.CREATE_TIME))
                    .provision(topics.all());

            // Then it names the topics whose retention counts from those times: the intents, and what it writes for others
            assertThat(log.messages(Level.WARN)).filteredOn(message -> message.contains("for a replay of older history")).singleElement()
                    .satisfies(message -> assertThat(message)
                            .contains("replay.intents (retention.ms=604800000)", "replay.decisions.execute (retention.ms=604800000)",
                                    "replay.decisions.escalate", "replay.decisions.reject", "replay.intents.dlq")
                            .doesNotContain("replay.approvals", "replay.outcomes", "replay.audit", "replay.ledger-requests",
                                    "replay.case-events"));
        }

        // And with the broker stamping every topic producers write, it says nothing of it
        try (CapturedLog log = new CapturedLog(TopicProvisioner.class)) {
            new TopicProvisioner(admin, 1, (short) 1, true).provision(new Topics("live.", new InMemorySchemaRegistry("t")).all());

            assertThat(log.messages(Level.WARN)).noneMatch(message -> message.contains("replay"));
        }
    }

    @Test
    void shouldStopTheMediatorsStartOnAPlacedTopicTheBrokerStamps() throws Exception {
        // Given the placed intents created beforehand with LogAppendTime
        admin.createTopics(List.of(new NewTopic("restamped.intents-placed", 1, (short) 1)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();

        // When the mediator starts, then it stops there, saying why and how to fix it
        assertThat(startFailure("restamped"))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining("topic restamped.intents-placed has message.timestamp.type=LogAppendTime")
                .hasMessageContaining("--entity-name restamped.intents-placed --add-config message.timestamp.type=CreateTime");
    }

    @Test
    void shouldStopTheMediatorsStartOnAnIntentsTopicWithOtherPartitionsThanTheTopicsReadBesideIt() throws Exception {
        // Given an intents topic created with 2 partitions beforehand, and topic.partitions at 1 for the rest
        admin.createTopics(List.of(new NewTopic("copartitioned.intents", 2, (short) 1)
                .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();

        // When the mediator starts, then it stops there, naming the counts, instead of deciding half the agents without their ledger
        assertThat(startFailure("copartitioned"))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining("copartitioned.intents=2")
                .hasMessageContaining("copartitioned.ledger-replies=1")
                .hasMessageContaining("topic.partitions");
    }

    @Test
    void shouldRefuseToRunWithoutAStreamThread() {
        // Kafka Streams takes 0, and with only its global thread running the instance would report ready and decide nothing
        assertThat(startFailure("no-threads", Map.of("num.stream.threads", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num.stream.threads must be at least 1");
    }

    @Test
    void shouldNameAWrongSettingBeforeCreatingAnyTopic() throws Exception {
        // Given settings the topology, the registry client, the HTTP endpoints, the health checks or Kafka Streams read, each wrong
        // (and those under which it would run without holding what it promises: at-least-once, no stream thread)
        Map<String, String> wrong = Map.ofEntries(
                Map.entry(ConfigKeys.CLAIMS_TIMEOUT.name(), "PT0S"),
                Map.entry(ConfigKeys.REGISTRY_RETRY_MAX_MS.name(), "0"),
                Map.entry(ConfigKeys.HTTP_IDLE_TIMEOUT.name(), "thirty seconds"),
                Map.entry(ConfigKeys.HEALTH_BROKER_GRACE.name(), "-PT1S"),
                Map.entry(ConfigKeys.HTTP_ADVERTISED_ADDRESS.name(), "no-port-here"),
                Map.entry("num.stream.threads", "two"),
                Map.entry(ConfigKeys.TOPIC_PARTITIONS.name(), "0"),
                Map.entry(ConfigKeys.TOPIC_REPLICATION_FACTOR.name(), "0"),
                Map.entry(ConfigKeys.METRICS_AGENT_LABEL_LIMIT.name(), "-1"),
                Map.entry(ConfigKeys.ROCKSDB_MEMORY_BYTES.name(), "-1"),
                Map.entry(ConfigKeys.HTTP_PORT.name(), "-5"),
                Map.entry("processing.guarantee", "at_least_once"));
        for (Map.Entry<String, String> setting : wrong.entrySet()) {
            String prefix = "wrong-" + setting.getKey().replace('.', '-');

            // When the mediator starts, then it stops naming the key
            assertThat(startFailure(prefix, Map.of(setting.getKey(), setting.getValue()))).as(setting.getKey())
                    .isInstanceOf(RuntimeException.class)
                    .hasMessageContaining(setting.getKey());
            // And no topic of its was created: a wrong value must not leave topics with the partitions of a start that never ran
            assertThat(admin.listTopics().names().get()).as(setting.getKey()).noneMatch(topic -> topic.startsWith(prefix));
        }
    }

    /** Starts a mediator on the topics under {@code prefix}, one partition each unless they exist, and returns what stopped it. */
    private static Throwable startFailure(String prefix) {
        return startFailure(prefix, Map.of());
    }

    /** As {@link #startFailure(String)}, with {@code settings} besides. */
    private static Throwable startFailure(String prefix, Map<String, String> settings) {
        String scope = "provisioner-it-" + prefix;
        Map<String, String> given = new HashMap<>(Map.of(
                ConfigKeys.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers(),
                ConfigKeys.TOPIC_PREFIX.name(), prefix + ".",
                ConfigKeys.TOPIC_PARTITIONS.name(), "1",
                ConfigKeys.SCHEMA_REGISTRY_URL.name(), "mock://" + scope,
                ConfigKeys.HTTP_PORT.name(), "0"));
        given.putAll(settings);
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), given);
        try {
            return catchThrowable(() -> MediatorApp.start(config, new HealthState()).close());
        } finally {
            SchemaRegistryClients.dropScope(scope);
        }
    }

    private static TopicSpec<?, ?> stamped(Topics topics, String suffix) {
        return switch (suffix) {
            case "intents" -> topics.intents();
            case "approvals" -> topics.approvals();
            case "outcomes" -> topics.outcomes();
            default -> throw new IllegalArgumentException(suffix);
        };
    }

    private static String topicConfig(String topic, String key) throws Exception {
        return topicConfig(admin, topic, key);
    }

    private static String topicConfig(Admin on, String topic, String key) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return on.describeConfigs(List.of(resource)).all().get().get(resource).get(key).value();
    }

    private static String cleanupPolicy(String topic) throws Exception {
        return topicConfig(topic, TopicConfig.CLEANUP_POLICY_CONFIG);
    }
}
