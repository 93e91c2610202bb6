package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.testing.HttpGet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances where the address one advertises reaches something else first (a proxy or a mesh sidecar answering in its
 * place): its pages and its health JSON, with 200. A question relayed there must not come back to the caller as if a
 * mediator had answered it: a budget query passed the page on with 200, a case query failed with 500.
 */
@Tag("slow")
class ProxiedPeerIT {

    private static final String SCOPE = "proxied-peer-it";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 12;

    @TempDir Path dir;

    @Test
    void whatStandsInFrontOfAPeerIsAnswered502AndNeverPassedOnAsTheMediatorsAnswer() throws Exception {
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/", exchange -> {
            boolean health = exchange.getRequestURI().getPath().startsWith(OwnersQuery.PREFIX);
            byte[] body = (health ? "{\"status\":\"UP\"}" : "<html><body>Welcome</body></html>").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        proxy.start();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.HTTP_PORT, "0");
            MediatorConfig proxied = config.with(ConfigKeys.STATE_DIR, dir.resolve("b").toString())
                    .with(ConfigKeys.HTTP_ADVERTISED_ADDRESS, "127.0.0.1:" + proxy.getAddress().getPort());
            try (MediatorApp a = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("a").toString()), new HealthState());
                    MediatorApp b = MediatorApp.start(proxied, new HealthState())) {
                a.awaitRunning(Duration.ofSeconds(60));
                b.awaitRunning(Duration.ofSeconds(60));

                // When A is asked about keys of every partition, some of them B's
                List<String> relayedToTheProxy = new ArrayList<>();
                List<String> notAnAnswer = new ArrayList<>();
                for (int n = 0; n < KEYS; n++) {
                    HttpResponse<String> budgets = HttpGet.retryingWhileUnavailable(a.httpPort(), "/agents/agent-" + n + "/budgets",
                            Duration.ofSeconds(30));
                    HttpResponse<String> aCase = HttpGet.retryingWhileUnavailable(a.httpPort(), "/cases/intent-" + n, Duration.ofSeconds(30));
                    for (HttpResponse<String> answer : List.of(budgets, aCase)) {
                        String line = answer.request().uri().getPath() + " -> " + answer.statusCode() + " " + answer.body();
                        if (answer.statusCode() == 502) {
                            relayedToTheProxy.add(line);
                        } else if (!List.of(200, 404).contains(answer.statusCode()) || !isJsonObject(answer.body())) {
                            notAnAnswer.add(line);
                        }
                    }
                }

                // Then what B's address answered is a 502 naming it, and nothing else is answered but a mediator's JSON
                assertThat(notAnAnswer).isEmpty();
                assertThat(relayedToTheProxy).as("B holds some partitions").isNotEmpty()
                        .allSatisfy(line -> assertThat(line).satisfiesAnyOf(
                                text -> assertThat(text).contains("(127.0.0.1:" + proxy.getAddress().getPort() + ") answered HTTP 200 with what is "
                                        + "not a mediator's answer: <html>"),
                                text -> assertThat(text).contains("came back without an agent: {\\\"status\\\":\\\"UP\\\"}")));
            }
        } finally {
            proxy.stop(0);
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static boolean isJsonObject(String body) {
        try {
            return JSON.readTree(body).isObject();
        } catch (Exception notJson) {
            return false;
        }
    }
}
