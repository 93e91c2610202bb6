package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.demo.DemoKeys;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.embedded.EmbeddedSchemaRegistry;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.serde.AvroSerde;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schema registry that is down must make the mediator wait and say so, not dead-letter good
 * records and not die quietly; when the registry comes back the waiting record (an intent, an
 * approval) is decided.
 */
@Tag("slow")
class RegistryOutageIT {

    @TempDir Path stateDir;

    @Test
    void shouldWaitReportUnreadyAndThenDecideWhenTheRegistryComesBack() throws Exception {
        waitsAndThenDecides("registry-outage-it", port -> null, "schema registry unavailable");
    }

    /** Refused credentials (rotated, expired) are no fault of the intent: it waits as for a registry that is down. */
    @Test
    void shouldWaitWhileTheRegistryRefusesTheMediatorsCredentialsAndDecideOnceItLetsItIn() throws Exception {
        waitsAndThenDecides("registry-refusal-it", RegistryOutageIT::refusingRegistry, "HTTP 401");
    }

    /**
     * An intent arrives while the registry at a free port is {@code unusable} (nothing listening where that gives null):
     * readiness says {@code saying}, nothing is decided or dead-lettered; once a registry answers it is decided once.
     */
    private void waitsAndThenDecides(String applicationId, RegistryAt unusable, String saying) throws Exception {
        int registryPort = freePort();
        MediatorConfig config = config(stateDir, registryPort, applicationId);
        // An agent's serializer, registered elsewhere: its schema id is 1 in a fresh registry.
        byte[] intent = new AvroSerde<>(AgentIntent.class, new InMemorySchemaRegistry("agent"))
                .serializer()
                .serialize("agent.intents", AgentIntent.newBuilder()
                        .setIntentId("outage-1").setAgentId("finance-analyst").setAction("invoice.create")
                        .setTarget("erp").setCostMicros(1_000L).setConfidence(0.9).build());
        HttpServer before = unusable.start(registryPort);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                MediatorApp app = MediatorApp.start(config.with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers()), new HealthState())) {
            app.awaitRunning(Duration.ofSeconds(60));

            // Given the registry cannot be used when an intent arrives
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>(app.topics().intents().name(), "finance-analyst".getBytes(StandardCharsets.UTF_8), intent)).get();
            }

            // Then readiness fails naming why, liveness holds, and nothing is decided or dead-lettered
            awaitReadiness(app.httpPort(), 503, saying, Duration.ofSeconds(30));
            assertThat(get(app.httpPort(), "/health/live").statusCode()).isEqualTo(200);
            assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(),
                    List.of(app.topics().execute().name(), app.topics().intentsDlq().name()), 1, Duration.ofSeconds(3))).isEmpty();

            // When a registry answers there
            if (before != null) {
                before.stop(0);
                before = null;
            }
            HttpServer registry = fakeRegistry(registryPort);
            try {
                // Then the waiting intent is decided, once, and the mediator is ready again
                assertExecutedOnceAndReady(broker, app);
            } finally {
                registry.stop(0);
            }
        } finally {
            if (before != null) {
                before.stop(0);
            }
        }
    }

    /** What listens at a registry's port before the registry does. */
    private interface RegistryAt {
        HttpServer start(int port) throws IOException;
    }

    /** A registry that refuses the mediator's credentials, whatever it is asked. */
    private static HttpServer refusingRegistry(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> respond(exchange, 401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}"));
        server.start();
        return server;
    }

    @Test
    void shouldHoldAnApprovalWhileTheRegistryIsDownAndApplyItWhenItIsBack() throws Exception {
        int registryPort = freePort();
        // What the registry holds outlives it, as a real one's does: it comes back with the same ids.
        Path registryData = Files.createDirectories(stateDir.resolve("registry"));
        MediatorConfig config = config(stateDir.resolve("state"), registryPort, "registry-outage-approval-it");
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(registryPort, registryData);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                MediatorApp app = MediatorApp.start(config.with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers()), new HealthState())) {
            app.awaitRunning(Duration.ofSeconds(60));
            // The agents' and the approver's own client: what it registers, the mediator has not read yet.
            Topics agents = Topics.of(config);
            Approval approval = new Approval("outage-approval-1", "maria@example.com", ApprovalDecision.APPROVE, null, null, null);
            byte[] approvalBytes = agents.approvalSerde().serializer().serialize(app.topics().approvals().name(), approval);
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                producer.send(IntentRecords.overAuthorityInvoice(agents, "outage-approval-1", Instant.now())).get();
                assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(),
                        List.of(app.topics().escalate().name()), 1, Duration.ofSeconds(60))).hasSize(1);

                // Given the registry goes down before the approval of the escalation arrives
                registry.close();
                registry = null;
                producer.send(new ProducerRecord<>(app.topics().approvals().name(), null, "outage-approval-1".getBytes(StandardCharsets.UTF_8),
                        approvalBytes, TestKeys.signedBy("maria@example.com", DemoKeys.privateKey("maria@example.com"), approvalBytes))).get();
            }

            // Then the approval waits as an intent does: readiness names the registry, nothing is decided or dead-lettered,
            // and its stream thread is not replaced over and over until the client shuts down
            assertWaitingForTheRegistry(broker, app, Duration.ofSeconds(30));

            // When the registry comes back, with what it held
            registry = EmbeddedSchemaRegistry.start(registryPort, registryData);

            // Then the approval executes the intent, and the mediator is ready again
            assertExecutedOnceAndReady(broker, app);
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }

    @Test
    void shouldWaitAfterARestartWhileTheRegistryIsDownForTheRecordsItWroteItself() throws Exception {
        int registryPort = freePort();
        Path registryData = Files.createDirectories(stateDir.resolve("registry"));
        MediatorConfig config = config(stateDir.resolve("state"), registryPort, "registry-outage-restart-it");
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(registryPort, registryData);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig onBroker = config.with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            Topics agents = Topics.of(config);
            try (MediatorApp first = MediatorApp.start(onBroker, new HealthState());
                    KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                first.awaitRunning(Duration.ofSeconds(60));
                producer.send(IntentRecords.overAuthorityInvoice(agents, "outage-restart-1", Instant.now())).get();
                assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(),
                        List.of(first.topics().escalate().name()), 1, Duration.ofSeconds(60))).hasSize(1);
            }
            // An approval on its way to the agent's partition when the instance stopped, as its case-router wrote it: the
            // record is the mediator's own, its schema in the registry, and in no cache of the instance started next.
            Approval approval = new Approval("outage-restart-1", "maria@example.com", ApprovalDecision.APPROVE, null, null, null);
            CaseEvent event = new CaseEvent("outage-restart-1", approval, null, "agent.approvals-0@0", null);
            byte[] eventBytes = agents.caseEvents().valueSerde().serializer().serialize(agents.caseEvents().name(), event);
            try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>(agents.caseEvents().name(), "finance-analyst".getBytes(StandardCharsets.UTF_8), eventBytes)).get();
            }

            // Given the registry is down when the mediator starts again
            registry.close();
            registry = null;
            try (MediatorApp second = MediatorApp.start(onBroker, new HealthState())) {
                // Then it waits for the registry, saying so, and neither dies, decides nor dead-letters meanwhile
                assertWaitingForTheRegistry(broker, second, Duration.ofSeconds(60));

                // When the registry comes back, with what it held
                registry = EmbeddedSchemaRegistry.start(registryPort, registryData);

                // Then the approval executes the intent, and the mediator is ready again
                assertExecutedOnceAndReady(broker, second);
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }

    /** The mediator on {@code stateDir}, reaching the registry at {@code registryPort}, waiting for it up to two minutes. */
    private static MediatorConfig config(Path stateDir, int registryPort, String applicationId) {
        return MediatorConfig.defaults()
                .with(ConfigKeys.STATE_DIR, stateDir.toString())
                .with(ConfigKeys.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + registryPort)
                .with(ConfigKeys.REGISTRY_RETRY_MAX_MS, "120000")
                .with(ConfigKeys.HTTP_HOST, "127.0.0.1")
                .with(ConfigKeys.HTTP_PORT, "0")
                .with(ConfigKeys.APPLICATION_ID, applicationId);
    }

    /** Just enough of the Confluent API: the agent's schema as id 1, and registration of ours. */
    private static HttpServer fakeRegistry(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        AtomicInteger nextId = new AtomicInteger(2);
        String intentSchema = com.fasterxml.jackson.databind.node.TextNode.valueOf(AgentIntent.getClassSchema().toString()).toString();
        server.createContext("/schemas/ids/1", exchange -> respond(exchange, 200, "{\"schema\":" + intentSchema + "}"));
        server.createContext("/subjects/", exchange -> respond(exchange, 200, "{\"id\":" + nextId.getAndIncrement() + "}"));
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Waits until readiness answers {@code status} with a body containing {@code saying}: a start reports other problems first. */
    private static void awaitReadiness(int port, int status, String saying, Duration timeout) throws Exception {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> response = get(port, "/health/ready");
        while ((response.statusCode() != status || !response.body().contains(saying)) && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(200);
            response = get(port, "/health/ready");
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(saying);
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Readiness names the registry within {@code timeout}; then for 20 s nothing is decided or dead-lettered, and the client lives. */
    private static void assertWaitingForTheRegistry(EmbeddedKafkaBroker broker, MediatorApp app, Duration timeout) throws Exception {
        awaitReadiness(app.httpPort(), 503, "schema registry unavailable", timeout);
        assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(),
                List.of(app.topics().execute().name(), app.topics().intentsDlq().name()), 1, Duration.ofSeconds(20))).isEmpty();
        assertThat(app.failure()).isNotDone();
        assertThat(get(app.httpPort(), "/health/live").statusCode()).isEqualTo(200);
    }

    /** One decision on the execute topic, nothing dead-lettered, and the instance ready again. */
    private static void assertExecutedOnceAndReady(EmbeddedKafkaBroker broker, MediatorApp app) throws Exception {
        assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(),
                List.of(app.topics().execute().name()), 1, Duration.ofSeconds(60))).hasSize(1);
        awaitReadiness(app.httpPort(), 200, "\"status\":\"UP\"", Duration.ofSeconds(30));
        assertThat(KafkaTestClients.readCommitted(broker.bootstrapServers(),
                List.of(app.topics().intentsDlq().name()), 1, Duration.ofSeconds(2))).isEmpty();
    }
}
