package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.ReasonCode;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * Two instances, the shipped jar each in a process of its own; the one whose task judges controls keyed {@code *} is killed.
 * Its partition stays with it until the group drops it, which a session timeout of two minutes keeps from happening within
 * the test: {@code suspend --all} must still stop the agents of the instance that is up, at once.
 */
@Tag("slow")
class SuspendWhileJudgeDownIT {

    private static final String APP = "suspend-while-judge-down";
    private static final String POLICY = """
            version: "judge-down-1"
            agents:
              - { id: "agent-0", capabilities: { actions: ["*"], targets: ["*"] } }
              - { id: "agent-6", capabilities: { actions: ["*"], targets: ["*"] } }
            """;

    @TempDir Path dir;

    @Test
    void shouldStopTheAgentsOfTheInstanceUpWhileTheInstanceThatJudgesTheSwitchIsDown() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Contracts.trustGeneratedClasses();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); ApicurioRegistry registry = ApicurioRegistry.start()) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of()));
            Map<String, String> settings = Map.of("bootstrap.servers", broker.bootstrapServers(), "application.id", APP,
                    "schema.registry.url", registry.ccompatUrl(), "policy.file", policy.toString(), "topic.partitions", "2",
                    "session.timeout.ms", "120000");
            try (MediatorProcess one = MediatorProcess.start(dir, "judge-down-one", stateIn(settings, dir.resolve("one")), "-Xmx512m");
                    MediatorProcess two = MediatorProcess.start(dir, "judge-down-two", stateIn(settings, dir.resolve("two")), "-Xmx512m")) {
                // Given two instances with one agent partition each, and the one judging the controls keyed "*" killed
                ConsumerGroupDescription group = stableWithTwo(broker);
                one.awaitReady(Duration.ofSeconds(60));
                two.awaitReady(Duration.ofSeconds(60));
                MemberDescription judge = group.members().stream()
                        .filter(member -> partitionsOf(member, topics.controlsPlaced().name()).contains(partitionOf("*"))).findFirst().orElseThrow();
                boolean oneJudges = judge.clientId().startsWith(clientId(one) + "-");
                MediatorProcess survivor = oneJudges ? two : one;
                String survivorAgent = List.of("agent-0", "agent-6").stream()
                        .filter(agent -> !partitionsOf(judge, topics.intents().name()).contains(partitionOf(agent))).findFirst().orElseThrow();
                (oneJudges ? one : two).kill();

                // When the operator pulls the switch for every agent (sent only: no instance can judge it now)
                CliRun suspend = cli(broker, registry, "suspend", "--all", "--reason", "incident 42", "--by", "sre", "--wait", "PT0S");
                assertThat(suspend.exit()).as(suspend.output()).isZero();

                // Then the instance that is up has it in force well before the dead member's session could end
                boolean inForce = false;
                for (long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos(); !inForce && System.nanoTime() - giveUp < 0;
                        Thread.sleep(200)) {
                    inForce = HttpGet.get(survivor.httpPort(), "/metrics").body().contains("mediator_agent_suspended{agent=\"*\"");
                }
                assertThat(inForce).as("the switch of every agent in force on the instance up, its judge down").isTrue();

                // And an agent whose partition that instance holds is stopped
                send(broker, registry, topics, survivorAgent, "after-switch");
                List<ConsumerRecord<byte[], byte[]>> decided = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                        topics.decisions().stream().map(topic -> topic.name()).toList(), 1, Duration.ofSeconds(60));
                Decision decision = topics.execute().valueSerde().deserializer().deserialize(decided.get(0).topic(), decided.get(0).value());
                assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
                assertThat(decision.getReasons()).extracting(reason -> reason.getCode()).containsExactly(ReasonCode.AGENT_SUSPENDED);
            }
        }
    }

    private record CliRun(int exit, String output) {}

    private static CliRun cli(EmbeddedKafkaBroker broker, ApicurioRegistry registry, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("mediator.jar", "target/agent-mediator.jar")));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MEDIATOR_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        builder.environment().put("MEDIATOR_SCHEMA_REGISTRY_URL", registry.ccompatUrl());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new CliRun(process.waitFor(), output);
    }

    private static Map<String, String> stateIn(Map<String, String> settings, Path stateDir) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("state.dir", stateDir.toString());
        return all;
    }

    private static ConsumerGroupDescription stableWithTwo(EmbeddedKafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            for (long giveUp = System.nanoTime() + Duration.ofSeconds(90).toNanos(); System.nanoTime() - giveUp < 0; Thread.sleep(250)) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APP)).all().get().get(APP);
                if (group.groupState() == GroupState.STABLE && group.members().size() == 2
                        && group.members().stream().allMatch(member -> partitionsOf(member, "agent.intents").size() == 1)) {
                    return group;
                }
            }
            throw new AssertionError("the group was not stable with two members within 90 s");
        }
    }

    /** The client id the instance's streams use, as its metrics name it: its members' client ids start with it. */
    private static String clientId(MediatorProcess instance) throws Exception {
        Matcher client = Pattern.compile("kafka_stream_alive_stream_threads\\{client_id=\"([^\"]+)\"")
                .matcher(HttpGet.get(instance.httpPort(), "/metrics").body());
        assertThat(client.find()).as("the instance's streams client id in its metrics").isTrue();
        return client.group(1);
    }

    private static Set<Integer> partitionsOf(MemberDescription member, String topic) {
        return member.assignment().topicPartitions().stream().filter(partition -> partition.topic().equals(topic))
                .map(TopicPartition::partition).collect(Collectors.toSet());
    }

    private static void send(EmbeddedKafkaBroker broker, ApicurioRegistry registry, Topics topics, String agentId, String intentId)
            throws Exception {
        AvroSerde<AgentIntent> serde = new AvroSerde<>(AgentIntent.class);
        serde.configure(Map.of("schema.registry.url", registry.ccompatUrl()), false);
        AgentIntent intent = AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("report.write").setTarget("wiki")
                .setCostMicros(0).setCommitmentMicros(0).setConfidence(0.99).build();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topics.intents().name(), agentId.getBytes(StandardCharsets.UTF_8),
                    serde.serializer().serialize(topics.intents().name(), intent))).get();
        }
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2;
    }
}
