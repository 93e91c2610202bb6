package io.agentmediator.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.placement.KeyPartitioning;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.signing.IntentDigest;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ACLs of docs/SECURITY.md on a broker that authenticates with SASL/SCRAM and authorizes with
 * KRaft's StandardAuthorizer: the mediator, as its own user, creates its topics and decides; an agent
 * can write intents and nothing else, so it can neither approve nor read anyone's decisions; executors
 * read the intent a decision names, as docs/SIGNING.md asks of them; executors, approvers and operators
 * reach only their own topics.
 */
@Tag("slow")
class KafkaAclsIT {

    private static final String SCOPE = "kafka-acls-it";
    private static final String APPLICATION_ID = "acl-mediator";
    private static final String PREFIX = "agent.";
    private static final List<String> USERS = List.of("mediator", "agent", "executor", "approver", "operator", "operator-before");

    @TempDir Path dir;

    @Test
    void shouldLetEveryRoleDoOnlyWhatItsAclsAllowWhileTheMediatorDecides() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(3).saslScram("admin", password("admin")).start();
                Admin admin = Admin.create(new HashMap<String, Object>(client(broker, "admin")))) {
            // Given a user per role, with the ACLs SECURITY.md gives each
            createUsers(admin);
            RoleAcls acls = new RoleAcls(PREFIX, APPLICATION_ID);
            List<AclBinding> bindings = new ArrayList<>(acls.mediator("mediator"));
            bindings.addAll(acls.agent("agent"));
            bindings.addAll(acls.executor("executor"));
            bindings.addAll(acls.approver("approver"));
            bindings.addAll(acls.operator("operator"));
            bindings.addAll(acls.operator("operator-before").stream()
                    .filter(acl -> !acl.pattern().name().equals(PREFIX + "controls.accepted")).toList());
            admin.createAcls(bindings).all().get();

            // And the mediator running as its own user, creating its topics
            Map<String, String> settings = new HashMap<>(client(broker, "mediator"));
            settings.put(ConfigKeys.SCHEMA_REGISTRY_URL.name(), "mock://" + SCOPE);
            settings.put(ConfigKeys.APPLICATION_ID.name(), APPLICATION_ID);
            settings.put(ConfigKeys.TOPIC_PREFIX.name(), PREFIX);
            settings.put(ConfigKeys.HTTP_PORT.name(), "0");
            settings.put(ConfigKeys.STATE_DIR.name(), dir.resolve("state").toString());
            settings.put(ConfigKeys.TOPIC_INTERNAL_PURGE_INTERVAL.name(), "PT1S");
            try (MediatorApp app = MediatorApp.start(MediatorConfig.layered(settings, Map.of(), Map.of()), new HealthState());
                    KafkaProducer<byte[], byte[]> agent = producer(broker, "agent")) {
                app.awaitRunning(Duration.ofSeconds(90));
                Instant running = Instant.now();
                Topics topics = app.topics();

                // When the agent sends an intent within its authority, to another partition than its key's, so that the
                // mediator moves it to its agent's partition through the placed intents
                ProducerRecord<byte[], byte[]> intent =
                        IntentRecords.intent(topics, "acl-1", "finance-analyst", "invoice.create", "erp", 250_000, 0, Instant.now());
                int home = KeyPartitioning.partitionOf(intent.key(), 3);
                agent.send(new ProducerRecord<>(intent.topic(), (home + 1) % 3, intent.key(), intent.value())).get(30, TimeUnit.SECONDS);

                // Then the mediator decides it, and an executor reads the decision and the intent whose digest it names
                Decision decision = executedDecision(broker, topics);
                assertThat(decision.getIntentId()).isEqualTo("acl-1");
                assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

                // And the agent can neither approve, publish a policy, nor read any decision
                assertThat(refusal(agent, PREFIX + "approvals")).isInstanceOf(TopicAuthorizationException.class);
                assertThat(refusal(agent, PREFIX + "policies")).isInstanceOf(TopicAuthorizationException.class);
                assertThat(refusal(agent, PREFIX + "controls")).isInstanceOf(TopicAuthorizationException.class);
                assertThat(readRefusal(broker, "agent", PREFIX + "decisions.execute")).isInstanceOf(TopicAuthorizationException.class);
                assertThat(readRefusal(broker, "agent", PREFIX + "decisions.reject")).isInstanceOf(TopicAuthorizationException.class);
                assertThat(readRefusal(broker, "agent", PREFIX + "audit")).isInstanceOf(TopicAuthorizationException.class);

                // And the other roles reach their own topics only
                try (KafkaProducer<byte[], byte[]> executor = producer(broker, "executor");
                        KafkaProducer<byte[], byte[]> approver = producer(broker, "approver");
                        KafkaProducer<byte[], byte[]> operator = producer(broker, "operator")) {
                    assertThat(refusal(executor, PREFIX + "outcomes")).isNull();
                    assertThat(refusal(executor, PREFIX + "intents")).isInstanceOf(TopicAuthorizationException.class);
                    assertThat(refusal(executor, PREFIX + "approvals")).isInstanceOf(TopicAuthorizationException.class);
                    assertThat(refusal(approver, PREFIX + "approvals")).isNull();
                    assertThat(refusal(approver, PREFIX + "outcomes")).isInstanceOf(TopicAuthorizationException.class);
                    assertThat(refusal(operator, PREFIX + "policies")).isNull();
                    assertThat(refusal(operator, PREFIX + "controls")).isNull();
                    assertThat(refusal(operator, PREFIX + "controls.accepted")).as("only the mediator says what counts")
                            .isInstanceOf(TopicAuthorizationException.class);
                    assertThat(refusal(operator, PREFIX + "intents")).isInstanceOf(TopicAuthorizationException.class);
                }
                assertThat(readRefusal(broker, "approver", PREFIX + "decisions.execute")).isInstanceOf(TopicAuthorizationException.class);
                assertThat(readRefusal(broker, "executor", PREFIX + "decisions.escalate")).isInstanceOf(TopicAuthorizationException.class);
                assertThat(readRefusal(broker, "operator", PREFIX + "audit")).as("pending and audit work").isNull();
                assertThat(readRefusal(broker, "operator", PREFIX + "controls.accepted")).as("suspend and resume see theirs accepted")
                        .isNull();

                // And the mediator, having read what the others wrote, is still running
                assertThat(app.health().live()).isTrue();
                // And its own ACLs let it follow its group's progress: its deadlines and timeouts move, not stand still. Read
                // once the gauge, which counts from the start while no progress is confirmed, would be past 30 s without it.
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), running.plusSeconds(35)).toMillis()));
                assertThat(readHorizonBehindSeconds(app.httpPort(), Duration.ofSeconds(30))).isLessThan(30);
                // And to delete the moved intent it has read from the placed intents (offset 0; the transaction's commit
                // marker follows it)
                TopicPartition placed = new TopicPartition(topics.intentsPlaced().name(), home);
                assertThat(awaitEarliest(admin, placed, 1, Duration.ofSeconds(30))).as("purged once read").isPositive();

                // And an operator pulls the kill switch with the command, as its own user, and sees it in force
                Suspend inForce = suspend(broker, "operator", "finance-analyst");
                assertThat(inForce.exitCode()).as(inForce.said()).isZero();
                assertThat(inForce.said()).contains("SUSPEND finance-analyst by oncall, unsigned", "in force: acl test");
                // And one with the ACLs of a version before the command waited (no Read on the accepted controls) still sends
                // it, and says it cannot tell whether it counts
                long before = controlsWritten(broker);
                Suspend unseen = suspend(broker, "operator-before", "payments-agent");
                assertThat(unseen.exitCode()).as(unseen.said()).isEqualTo(2);
                assertThat(unseen.said()).contains("SUSPEND payments-agent by oncall, unsigned", "whether a mediator accepted it cannot be told",
                        "Read and Describe on " + PREFIX + "controls.accepted");
                assertThat(controlsWritten(broker)).isEqualTo(before + 1);
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private record Suspend(int exitCode, String said) {}

    /** {@code suspend AGENT} run as {@code user}, in a JVM of its own, with that user's client settings. */
    private Suspend suspend(EmbeddedKafkaBroker broker, String user, String agentId) throws Exception {
        StringBuilder settings = new StringBuilder("topic.prefix=" + PREFIX + "\n");
        client(broker, user).forEach((key, value) -> settings.append(key).append('=').append(value).append('\n'));
        Path config = Files.writeString(dir.resolve(user + ".properties"), settings.toString());
        Process suspend = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.agentmediator.cli.MediatorCli", "suspend", agentId,
                "--reason", "acl test", "--by", "oncall", "--wait", "PT30S", "--config", config.toString())
                .redirectErrorStream(true).start();
        String said = new String(suspend.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(suspend.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Suspend(suspend.exitValue(), said);
    }

    /** The records on the controls topic, counted by the admin. */
    private static long controlsWritten(EmbeddedKafkaBroker broker) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(new HashMap<String, Object>(client(broker, "admin")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(PREFIX + "controls").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static void createUsers(Admin admin) throws Exception {
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        for (String user : USERS) {
            users.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), password(user)));
        }
        admin.alterUserScramCredentials(users).all().get();
    }

    /**
     * The executor's view, as docs/SIGNING.md has it check a decision before acting: the first decision on
     * the execute topic, once an intent whose bytes are the decision's intentSha256 has been read too, both
     * in one executors' group, as the Python example executor reads them.
     */
    private static Decision executedDecision(EmbeddedKafkaBroker broker, Topics topics) {
        Map<String, Object> settings = new HashMap<>(client(broker, "executor"));
        settings.put("group.id", "agent-executor-acl-it");
        settings.put("auto.offset.reset", "earliest");
        settings.put("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.execute().name(), topics.intents().name()));
            Decision decision = null;
            List<byte[]> intents = new ArrayList<>();
            long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() - giveUpAt < 0) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!record.topic().equals(topics.execute().name())) {
                        intents.add(record.value());
                    } else if (decision == null) {
                        decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
                    }
                }
                String digest = decision == null ? null : decision.getIntentSha256();
                if (intents.stream().anyMatch(intent -> IntentDigest.matches(digest, intent))) {
                    return decision;
                }
            }
        }
        throw new AssertionError("no decision on " + topics.execute().name() + " with its intent on " + topics.intents().name() + " within 60 s");
    }

    /**
     * {@code mediator_read_horizon_behind_seconds} once under 30 s, or as it stands after {@code timeout}: a group whose
     * offsets its own client cannot read leaves it growing from the start.
     */
    /** The partition's first offset once it reaches {@code offset}, or as it is when {@code timeout} has passed. */
    private static long awaitEarliest(Admin admin, TopicPartition partition, long offset, Duration timeout) throws Exception {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        long earliest = earliest(admin, partition);
        while (earliest < offset && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(200);
            earliest = earliest(admin, partition);
        }
        return earliest;
    }

    private static long earliest(Admin admin, TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).partitionResult(partition).get().offset();
    }

    private static double readHorizonBehindSeconds(int httpPort, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        double behind;
        do {
            String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            behind = scrape.lines().filter(line -> line.startsWith("mediator_read_horizon_behind_seconds "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                    .orElseThrow(() -> new AssertionError("no mediator_read_horizon_behind_seconds in /metrics"));
            if (behind < 30) {
                return behind;
            }
            Thread.sleep(500);
        } while (System.nanoTime() - giveUpAt < 0);
        return behind;
    }

    /** What stops {@code producer} writing to {@code topic}; null when the write succeeds. */
    private static Throwable refusal(KafkaProducer<byte[], byte[]> producer, String topic) throws InterruptedException {
        try {
            producer.send(new ProducerRecord<>(topic, "key".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (KafkaException e) {
            return e;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("a write to " + topic + " neither succeeded nor failed in 30 s", e);
        }
    }

    /** What stops {@code user} reading {@code topic} (no group, as a client reading by partition); null if it can. */
    private static Throwable readRefusal(EmbeddedKafkaBroker broker, String user, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(new HashMap<String, Object>(client(broker, user)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            long giveUpAt = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() - giveUpAt < 0) {
                consumer.poll(Duration.ofMillis(500));
            }
            return null;
        } catch (KafkaException e) {
            return e;
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker, String user) {
        Map<String, Object> settings = new HashMap<>(client(broker, user));
        settings.put("max.block.ms", 30_000);
        settings.put("delivery.timeout.ms", 30_000);
        settings.put("request.timeout.ms", 10_000);
        return new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Map<String, String> client(EmbeddedKafkaBroker broker, String user) {
        Map<String, String> settings = new HashMap<>(EmbeddedKafkaBroker.scramClientSettings(user, password(user)));
        settings.put("bootstrap.servers", broker.bootstrapServers());
        return settings;
    }

    private static String password(String user) {
        return user + "-secret-for-the-acl-test";
    }
}
