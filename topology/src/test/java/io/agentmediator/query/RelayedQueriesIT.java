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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with bearer tokens on the embedded broker, each answering for keys the other holds. A case is answered
 * only under the agent it is of, whatever {@code ?agent=} the caller names; an intent id holding slashes is asked for as
 * one segment ({@code %2F}); and the instance token rotated as the README says (the new one second, then first, then
 * the old one dropped) keeps queries relayed between them answered, without a restart.
 */
@Tag("slow")
class RelayedQueriesIT {

    private static final String SCOPE = "relayed-queries-it";
    /** Four agents on three partitions: two of them share one. */
    private static final Map<String, String[]> AGENTS = Map.of(
            "finance-analyst", new String[] {"invoice.create", "erp"},
            "procurement-buyer", new String[] {"quote.request", "supplier-portal"},
            "ops-scheduler", new String[] {"schedule.update", "calendar"},
            "research-assistant", new String[] {"literature.search", "web-search"});
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVER_TOKEN = "approver-" + "0123456789abcdef".repeat(2);
    private static final String[] APPROVER = {"Authorization", "Bearer " + APPROVER_TOKEN};
    private static final String OLD = "instance-old-" + "00112233445566778899".repeat(2);
    private static final String NEW = "instance-new-" + "99887766554433221100".repeat(2);

    @TempDir Path dir;

    @Test
    void shouldAnswerACaseOnlyUnderItsAgentAndAnIdWithSlashesAndKeepRelayingAfterATokenRotation() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Path instanceTokens = Files.writeString(dir.resolve("instance"), OLD + "\n");
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.HTTP_PORT, "0")
                    .with(ConfigKeys.HTTP_AUTH_TOKENS_CHECK_INTERVAL, "PT0.1S")
                    .with(ConfigKeys.HTTP_AUTH_APPROVER_TOKENS_FILE, Files.writeString(dir.resolve("approvers"), APPROVER_TOKEN).toString())
                    .with(ConfigKeys.HTTP_AUTH_INSTANCE_TOKENS_FILE, instanceTokens.toString());
            try (MediatorApp a = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("a").toString()), new HealthState());
                    MediatorApp b = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("b").toString()), new HealthState())) {
                a.awaitRunning(Duration.ofSeconds(60));
                b.awaitRunning(Duration.ofSeconds(60));
                // Given two escalated intents of each agent, one with slashes in its id, each case answered by both instances
                escalateTwoIntentsOfEachAgent(broker, a.topics());
                for (String agent : AGENTS.keySet()) {
                    for (int port : new int[] {a.httpPort(), b.httpPort()}) {
                        HttpResponse<String> found = HttpGet.retryingWhileUnavailable(port, "/cases/escalated-" + agent, Duration.ofSeconds(30), APPROVER);
                        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
                    }
                }

                // When a case is asked for under every other agent's name
                List<String> misattributed = new ArrayList<>();
                for (String owner : AGENTS.keySet()) {
                    for (String other : AGENTS.keySet()) {
                        String path = "/cases/escalated-" + owner + "?agent=" + other;
                        HttpResponse<String> answer = HttpGet.retryingWhileUnavailable(a.httpPort(), path, Duration.ofSeconds(30), APPROVER);
                        if (!other.equals(owner) && answer.statusCode() != 404) {
                            misattributed.add(path + " -> " + answer.statusCode() + " " + answer.body());
                        }
                    }
                }

                // Then it is not found: it is its owner's
                assertThat(misattributed).isEmpty();

                // And an intent id holding slashes, encoded as one segment, is found from either instance (one of them relays it)
                for (String agent : AGENTS.keySet()) {
                    for (int port : new int[] {a.httpPort(), b.httpPort()}) {
                        HttpResponse<String> found = HttpGet.retryingWhileUnavailable(port, "/cases/orders%2F2026%2F" + agent,
                                Duration.ofSeconds(30), APPROVER);
                        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
                        assertThat(JSON.readTree(found.body()).get("caseFile").get("intentId").asText()).isEqualTo("orders/2026/" + agent);
                    }
                }

                // When the instance token is rotated in three steps, the file replaced whole as the kubelet swaps a Secret
                rotate(instanceTokens, OLD + "\n" + NEW + "\n", a, b);
                rotate(instanceTokens, NEW + "\n" + OLD + "\n", a, b);
                rotate(instanceTokens, NEW + "\n", a, b);

                // Then every agent's budgets are answered by both instances, each relaying to the other with the new token, and
                // the escalations are gathered from both
                List<String> refused = new ArrayList<>();
                for (String agent : AGENTS.keySet()) {
                    for (int port : new int[] {a.httpPort(), b.httpPort()}) {
                        HttpResponse<String> budgets = HttpGet.retryingWhileUnavailable(port, "/agents/" + agent + "/budgets",
                                Duration.ofSeconds(30), APPROVER);
                        if (budgets.statusCode() != 200) {
                            refused.add(port + " /agents/" + agent + "/budgets -> " + budgets.statusCode() + " " + budgets.body());
                        }
                    }
                }
                assertThat(refused).isEmpty();
                JsonNode escalations = JSON.readTree(HttpGet.get(a.httpPort(), "/escalations", APPROVER).body());
                assertThat(escalations.get("unreachable")).as(escalations.toString()).isEmpty();
                assertThat(escalations.get("open").asInt()).isEqualTo(2 * AGENTS.size());
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static void rotate(Path tokens, String content, MediatorApp a, MediatorApp b) throws Exception {
        Path next = Files.writeString(tokens.resolveSibling("instance.next"), content);
        Files.move(next, tokens, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // A request to each, past the check interval, is what has an instance read the file again
        for (int i = 0; i < 3; i++) {
            Thread.sleep(300);
            HttpGet.get(a.httpPort(), "/health/live", APPROVER);
            HttpGet.get(b.httpPort(), "/health/live", APPROVER);
        }
    }

    private static void escalateTwoIntentsOfEachAgent(EmbeddedKafkaBroker broker, Topics topics) throws Exception {
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (Map.Entry<String, String[]> agent : AGENTS.entrySet()) {
                for (String id : List.of("escalated-" + agent.getKey(), "orders/2026/" + agent.getKey())) {
                    producer.send(IntentRecords.intent(topics, id, agent.getKey(), agent.getValue()[0], agent.getValue()[1], 300_000, 0, 0.3, now));
                }
            }
        }
        assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(), topics.decisions().stream().map(t -> t.name()).toList(),
                2 * AGENTS.size(), Duration.ofSeconds(60))).hasSize(2 * AGENTS.size());
    }
}
