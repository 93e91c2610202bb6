package io.agentmediator.registrywait;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.ledger.LedgerStores;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.internal.TaskState;
import io.agentmediator.serde.WireFormat;
import io.agentmediator.topics.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A registry the mediator may only read (schemas registered by a release process), {@code auto.register.schemas=false}:
 * every schema it writes, a decision's and a store value's alike, is looked up, never registered. Before, nothing
 * configured the serdes the mediator builds, and each first write tried to register, was refused (403) as an outage,
 * and stopped the stream threads.
 */
class ReadOnlyRegistryTest {

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final HttpServer registry;

    ReadOnlyRegistryTest() throws IOException {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", exchange -> {
            String call = exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath();
            requests.add(call);
            if (call.endsWith("/versions")) {
                respond(exchange, 403, "{\"error_code\":40301,\"message\":\"User is denied operation Write on Subject\"}");
            } else {
                respond(exchange, 200, "{\"subject\":\"s\",\"version\":1,\"id\":5,\"schema\":\"\"}");
            }
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    @Test
    void shouldLookUpEverySchemaItWritesWhenToldNotToRegister() {
        // Given the topics as the mediator builds them, told not to register
        MediatorConfig config = MediatorConfig.layered(Map.of(
                "schema.registry.url", "http://127.0.0.1:" + registry.getAddress().getPort(),
                "auto.register.schemas", "false",
                ConfigKeys.REGISTRY_RETRY_MAX_MS.name(), "500"), Map.of(), Map.of());
        Topics topics = Topics.of(config, WaitingRegistryClient.of(config, new HealthState()));

        // When a decision and a store value are written
        byte[] decision = topics.execute().valueSerde().serializer().serialize(topics.execute().name(), Decision.newBuilder()
                .setIntentId("i-1").setAgentId("a").setCorrelationId("i-1").setOutcome(DecisionOutcome.EXECUTE).setPolicyVersion("v1")
                .setDecidedAt(Instant.parse("2026-11-23T09:00:00Z")).setDecidedBy("mediator").build());
        byte[] stored = topics.storeSerde(LedgerStores.TASK_STATES, TaskState.class).serializer().serialize("task-states-changelog", TaskState.newBuilder()
                .setStatus(io.agentmediator.schema.OutcomeStatus.COMPLETED).build());

        // Then each schema was looked up under its subject, and nothing registered
        assertThat(requests).containsExactly("POST /subjects/agent.decisions.execute-value", "POST /subjects/task-states-changelog-value");
        assertThat(decision).startsWith(WireFormat.header(5));
        assertThat(stored).startsWith(WireFormat.header(5));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
