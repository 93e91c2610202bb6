package io.agentmediator.placement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.json.JsonText;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MonthStart;
import io.agentmediator.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer whose partitioner scatters every agent's intents over all partitions, as a mix of
 * librdkafka and Java producers would: on the real broker, every intent is still decided exactly once
 * (read_committed), each agent has one budget, and what it holds is exact — including intents whose
 * pool sends them through the resource ledger and back to the agent's partition.
 */
@Tag("slow")
class PlacementIT {

    private static final String SCOPE = "placement-it";
    private static final int PARTITIONS = 3;
    private static final int AGENTS = 6;
    private static final int INTENTS_PER_AGENT = 12;
    private static final long COST = 1_000_000;
    /** Each agent may reserve ten intents' cost; the last two of its twelve are over budget. */
    private static final long LIMIT = 10 * COST;
    /** What each executed intent reports having spent. */
    private static final long ACTUAL = 700_000;
    private static final String POLICY = """
            version: "placement-it-1"
            defaults: { minConfidence: 0.5 }
            tiers: [MANAGER]
            agents:
            %s
            pools:
              - { id: shared, budgets: [ { window: MONTH, limitMicros: 1000000000 } ] }
            executors:
              - { id: executor-1, agents: ["*"] }
            # Unsigned outcomes count: what is tested here is where they are read, not who sent them.
            signatures: { outcomes: OPTIONAL }
            """;

    @TempDir Path dir;

    /** Any partition, at random: the seed comes from the test so a failure can be replayed. */
    public static final class ScatteringPartitioner implements Partitioner {

        private Random random;

        @Override
        public void configure(Map<String, ?> configs) {
            random = new Random(Long.parseLong(String.valueOf(configs.get("test.scatter.seed"))));
        }

        @Override
        public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
            return random.nextInt(cluster.partitionCountForTopic(topic));
        }

        @Override
        public void close() {}
    }

    @Test
    void shouldDecideEveryIntentOnceInItsAgentsPartitionWhateverPartitionItWasSentTo() throws Exception {
        long seed = System.nanoTime();
        System.out.println("PlacementIT seed " + seed);
        List<String> agents = new ArrayList<>();
        StringBuilder agentLines = new StringBuilder();
        for (int i = 0; i < AGENTS; i++) {
            agents.add("scattered-" + i);
            agentLines.append("  - { id: scattered-").append(i).append(", capabilities: { actions: [\"*\"], targets: [\"*\"] },")
                    .append(" budgets: [ { window: MONTH, limitMicros: ").append(LIMIT).append(" } ], pool: shared }\n");
        }
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY.formatted(agentLines));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.TOPIC_PARTITIONS, String.valueOf(PARTITIONS))
                    .with(ConfigKeys.POLICY_FILE, policy.toString())
                    .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                    .with(ConfigKeys.HTTP_PORT, "0")
                    // The last check counts the intents moved through the placed intents: kept past the test, not purged once read
                    .with(ConfigKeys.TOPIC_INTERNAL_PURGE_INTERVAL, "PT1H");
            try (MediatorApp app = MediatorApp.start(config, new HealthState())) {
                app.awaitRunning(Duration.ofSeconds(60));
                Topics topics = app.topics();

                // Given every agent's intents sent to random partitions (in the month the budget queries below ask about)
                MonthStart.awaitClearOf(Duration.ofMinutes(5));
                int sent = send(broker.bootstrapServers(), topics, agents, seed);

                // When they are decided
                List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                        topics.decisions().stream().map(t -> t.name()).toList(), sent, Duration.ofSeconds(90));

                // Then each exactly once, ten executed and two over budget per agent
                List<Decision> decisions = records.stream()
                        .map(r -> topics.execute().valueSerde().deserializer().deserialize(r.topic(), r.value())).toList();
                Map<String, Long> perIntent = decisions.stream().collect(Collectors.groupingBy(Decision::getIntentId, Collectors.counting()));
                assertThat(perIntent).hasSize(sent).allSatisfy((intent, count) -> assertThat(count).as(intent).isEqualTo(1L));
                for (String agent : agents) {
                    List<Decision> own = decisions.stream().filter(d -> d.getAgentId().equals(agent)).toList();
                    assertThat(own).filteredOn(d -> d.getOutcome() == DecisionOutcome.EXECUTE).as(agent).hasSize(10);
                    assertThat(own).filteredOn(d -> d.getOutcome() == DecisionOutcome.REJECT).as(agent).hasSize(2)
                            .allSatisfy(d -> assertThat(d.getReasons().get(0).getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED));
                    // And the agent's one budget holds exactly what it admitted
                    assertThat(reservedThisMonth(app.httpPort(), agent)).as(agent).isEqualTo(LIMIT);
                }
                // And outcomes keyed as the decisions were (by agent id) or not keyed at all, sent to random partitions,
                // each find their case and settle it: the agent's reservation becomes what it spent
                List<Decision> executed = decisions.stream().filter(d -> d.getOutcome() == DecisionOutcome.EXECUTE).toList();
                report(broker.bootstrapServers(), topics, executed, seed);
                for (String agent : List.of(agents.get(0), agents.get(1))) {
                    assertThat(awaitSpentThisMonth(app.httpPort(), agent, 10 * ACTUAL)).as(agent).isEqualTo(10 * ACTUAL);
                    assertThat(reservedThisMonth(app.httpPort(), agent)).as(agent).isZero();
                }

                // And the scattering really moved intents, each once
                int moved = KafkaTestClients.readCommitted(broker.bootstrapServers(), List.of(topics.intentsPlaced().name()),
                        sent, Duration.ofSeconds(5)).size();
                assertThat(moved).isPositive().isLessThan(sent);
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static int send(String bootstrapServers, Topics topics, List<String> agents, long seed) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ScatteringPartitioner.class.getName());
        props.put("test.scatter.seed", String.valueOf(seed));
        Instant now = Instant.now();
        int sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int n = 0; n < INTENTS_PER_AGENT; n++) {
                for (String agent : agents) {
                    ProducerRecord<byte[], byte[]> intent =
                            IntentRecords.intent(topics, agent + "-" + n, agent, "report.generate", "erp", COST, 0, now);
                    producer.send(intent).get();
                    sent++;
                }
            }
        }
        return sent;
    }

    /** COMPLETED outcomes of the first two agents' executed intents: the first's keyed by agent id, the second's by nothing. */
    private static void report(String bootstrapServers, Topics topics, List<Decision> executed, long seed) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, ScatteringPartitioner.class.getName());
        props.put("test.scatter.seed", String.valueOf(seed + 1));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Decision decision : executed) {
                boolean byAgent = decision.getAgentId().equals("scattered-0");
                if (!byAgent && !decision.getAgentId().equals("scattered-1")) {
                    continue;
                }
                byte[] outcome = topics.outcomeSerde().serializer().serialize(topics.outcomes().name(),
                        new Outcome(decision.getIntentId(), OutcomeStatus.COMPLETED, ACTUAL, "executor-1", null, null, null));
                byte[] key = byAgent ? decision.getAgentId().getBytes(StandardCharsets.UTF_8) : null;
                producer.send(new ProducerRecord<>(topics.outcomes().name(), key, outcome)).get();
            }
        }
    }

    private static long awaitSpentThisMonth(int httpPort, String agent, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long spent = monthWindow(httpPort, agent).get("spentMicros").asLong();
        while (spent != expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            spent = monthWindow(httpPort, agent).get("spentMicros").asLong();
        }
        return spent;
    }

    private static long reservedThisMonth(int httpPort, String agent) throws Exception {
        return monthWindow(httpPort, agent).get("reservedMicros").asLong();
    }

    private static JsonNode monthWindow(int httpPort, String agent) throws Exception {
        HttpResponse<String> response = HttpGet.get(httpPort, "/agents/" + agent + "/budgets");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode windows = JsonText.parse(response.body()).get("windows");
        Map<String, JsonNode> byWindow = new java.util.HashMap<>();
        windows.forEach(w -> byWindow.put(w.get("window").asText(), w));
        return byWindow.get("MONTH");
    }
}
