package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on the real broker share the partitions; either answers every query, asking the other
 * for what it does not hold, and the budget gauges each exports sum to exactly what the queries show.
 * Both require bearer tokens, so the instances relay to each other with the instance token, and a
 * caller without it cannot pass a question off as relayed.
 */
@Tag("slow")
class QueryForwardingIT {

    private static final String SCOPE = "query-forwarding-it";
    private static final List<String> AGENTS = List.of("finance-analyst", "procurement-buyer", "ops-scheduler", "research-assistant");
    private static final Map<String, String[]> ACTIONS = Map.of(
            "finance-analyst", new String[] {"invoice.create", "erp"},
            "procurement-buyer", new String[] {"quote.request", "supplier-portal"},
            "ops-scheduler", new String[] {"schedule.update", "calendar"},
            "research-assistant", new String[] {"literature.search", "web-search"});
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVER_TOKEN = "approver-" + "0123456789abcdef".repeat(2);
    private static final String METRICS_TOKEN = "metrics-" + "fedcba9876543210".repeat(2);
    private static final String[] APPROVER = {"Authorization", "Bearer " + APPROVER_TOKEN};
    private static final String[] METRICS = {"Authorization", "Bearer " + METRICS_TOKEN};

    @TempDir Path dir;

    @Test
    void shouldAnswerEveryQueryOnEitherInstance() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.HTTP_PORT, "0")
                    .with(ConfigKeys.HTTP_AUTH_APPROVER_TOKENS_FILE, Files.writeString(dir.resolve("approvers"), APPROVER_TOKEN).toString())
                    .with(ConfigKeys.HTTP_AUTH_METRICS_TOKENS_FILE, Files.writeString(dir.resolve("metrics"), METRICS_TOKEN).toString())
                    .with(ConfigKeys.HTTP_AUTH_INSTANCE_TOKENS_FILE,
                            Files.writeString(dir.resolve("instance"), "instance-" + "00112233445566778899".repeat(2)).toString());
            try (MediatorApp a = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("a").toString()), new HealthState());
                    MediatorApp b = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("b").toString()), new HealthState())) {
                a.awaitRunning(Duration.ofSeconds(60));
                b.awaitRunning(Duration.ofSeconds(60));
                // Given each agent has an executed intent (0.50) and an escalated one (0.30), both reserved until settled, and a third intent was rejected
                send(broker, a.topics());

                // Then each agent's budgets read the same from both instances
                Map<String, JsonNode> budgets = new HashMap<>();
                for (String agent : AGENTS) {
                    JsonNode fromA = awaitOk(a.httpPort(), "/agents/" + agent + "/budgets").get("windows");
                    JsonNode fromB = awaitOk(b.httpPort(), "/agents/" + agent + "/budgets").get("windows");
                    assertThat(fromA).isEqualTo(fromB);
                    assertThat(fromA.get(0).get("reservedMicros").asLong()).isEqualTo(800_000);
                    budgets.put(agent, fromA);
                }

                // And each agent's budget gauges are exported by exactly one instance, whose value the queries show
                Map<String, Double> reservedOnA = reservedDay(HttpGet.get(a.httpPort(), "/metrics", METRICS).body());
                Map<String, Double> reservedOnB = reservedDay(HttpGet.get(b.httpPort(), "/metrics", METRICS).body());
                assertThat(reservedOnA).as("A holds some agents, so B had to ask A").isNotEmpty();
                assertThat(reservedOnB).as("B holds some agents, so A had to ask B").isNotEmpty();
                for (String agent : AGENTS) {
                    assertThat(reservedOnA.containsKey(agent)).as(agent + " on one instance only").isNotEqualTo(reservedOnB.containsKey(agent));
                    double exported = reservedOnA.getOrDefault(agent, 0.0) + reservedOnB.getOrDefault(agent, 0.0);
                    JsonNode day = windowNamed(budgets.get(agent), "DAY");
                    assertThat(exported).isEqualTo(day.get("reservedMicros").asDouble());
                }

                // And the open escalations of both instances are listed by either
                List<String> escalatedIds = AGENTS.stream().map(agent -> "escalated-" + agent).sorted().toList();
                // (in the order they arrived: the broker stamps intents, so not alphabetically)
                assertThat(escalationIds(awaitOk(a.httpPort(), "/escalations"))).containsExactlyInAnyOrderElementsOf(escalatedIds);
                assertThat(escalationIds(awaitOk(b.httpPort(), "/escalations"))).isEqualTo(escalationIds(awaitOk(a.httpPort(), "/escalations")));
                assertThat(escalationIds(awaitOk(b.httpPort(), "/escalations?agent=ops-scheduler"))).containsExactly("escalated-ops-scheduler");
                // And read one at a time, the pages gathered from both instances are that list, each page counting all four
                List<String> paged = new ArrayList<>();
                JsonNode page = awaitOk(a.httpPort(), "/escalations?limit=1");
                while (true) {
                    assertThat(page.get("open").asInt()).isEqualTo(AGENTS.size());
                    paged.addAll(escalationIds(page));
                    if (page.get("next").isNull()) {
                        break;
                    }
                    page = awaitOk(paged.size() % 2 == 0 ? a.httpPort() : b.httpPort(), "/escalations?limit=1&after=" + page.get("next").asText());
                }
                assertThat(paged).isEqualTo(escalationIds(awaitOk(a.httpPort(), "/escalations")));

                // And every case file the stores hold is found from either instance; a rejected one is not, and the answer says where it is
                for (String agent : AGENTS) {
                    for (int port : new int[] {a.httpPort(), b.httpPort()}) {
                        JsonNode open = awaitOk(port, "/cases/escalated-" + agent);
                        assertThat(open.get("heldIn").asText()).isEqualTo("open-escalations");
                        assertThat(open.get("caseFile").get("intentId").asText()).isEqualTo("escalated-" + agent);
                        assertThat(awaitOk(port, "/cases/executed-" + agent).get("heldIn").asText()).isEqualTo("executed-cases");
                    }
                }
                HttpResponse<String> rejected = HttpGet.get(a.httpPort(), "/cases/rejected-finance-analyst", APPROVER);
                assertThat(rejected.statusCode()).isEqualTo(404);
                assertThat(rejected.body()).contains("audit topic");

                // And a caller that is not an instance cannot pass a question off as relayed: it is relayed as any other
                String elsewhere = reservedOnB.keySet().iterator().next();
                HttpResponse<String> posing = HttpGet.get(a.httpPort(), "/agents/" + elsewhere + "/budgets",
                        APPROVER[0], APPROVER[1], Peers.FORWARDED_HEADER, "outsider");
                assertThat(posing.statusCode()).as(posing.body()).isEqualTo(200);
                assertThat(escalationIds(JSON.readTree(HttpGet.get(a.httpPort(), "/escalations", APPROVER[0], APPROVER[1],
                        Peers.FORWARDED_HEADER, "outsider").body()))).as("the fan-out still happens").containsExactlyInAnyOrderElementsOf(escalatedIds);

                // And without a token, or with one of another role, nothing but health answers
                assertThat(HttpGet.get(a.httpPort(), "/escalations").statusCode()).isEqualTo(401);
                assertThat(HttpGet.get(a.httpPort(), "/metrics").statusCode()).isEqualTo(401);
                assertThat(HttpGet.get(a.httpPort(), "/cases/executed-finance-analyst", METRICS).statusCode()).isEqualTo(403);
                assertThat(HttpGet.get(a.httpPort(), "/health/ready").statusCode()).isEqualTo(200);
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static void send(EmbeddedKafkaBroker broker, Topics topics) throws Exception {
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (String agent : AGENTS) {
                String[] action = ACTIONS.get(agent);
                producer.send(IntentRecords.intent(topics, "executed-" + agent, agent, action[0], action[1], 500_000, 0, 0.9, now));
                // Below the example policy's minConfidence of 0.6: escalated LOW_CONFIDENCE to a MANAGER.
                producer.send(IntentRecords.intent(topics, "escalated-" + agent, agent, action[0], action[1], 300_000, 0, 0.3, now));
            }
            producer.send(IntentRecords.intent(topics, "rejected-finance-analyst", "finance-analyst", "invoice.create", "llm:large", 0, 0, 0.9, now));
        }
        int expected = AGENTS.size() * 2 + 1;
        assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(),
                topics.decisions().stream().map(t -> t.name()).toList(), expected, Duration.ofSeconds(60))).hasSize(expected);
    }

    /** GETs until 200: right after start, a rebalance may still be moving the partitions. */
    private static JsonNode awaitOk(int port, String path) throws Exception {
        HttpResponse<String> response = HttpGet.retryingWhileUnavailable(port, path, Duration.ofSeconds(30), APPROVER);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Map<String, Double> reservedDay(String scrape) {
        Map<String, Double> reserved = new HashMap<>();
        Matcher line = Pattern.compile("(?m)^mediator_budget_reserved_micros\\{agent=\"([^\"]+)\",window=\"DAY\"} (\\S+)$").matcher(scrape);
        while (line.find()) {
            reserved.put(line.group(1), Double.parseDouble(line.group(2)));
        }
        return reserved;
    }

    private static JsonNode windowNamed(JsonNode windows, String name) {
        for (JsonNode window : windows) {
            if (window.get("window").asText().equals(name)) {
                return window;
            }
        }
        throw new AssertionError("no " + name + " window in " + windows);
    }

    private static List<String> escalationIds(JsonNode answer) {
        assertThat(answer.get("unreachable")).isEmpty();
        List<String> ids = new ArrayList<>();
        answer.get("escalations").forEach(escalation -> ids.add(escalation.get("intentId").asText()));
        return ids;
    }
}
