package io.agentmediator.registrywait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaNotFoundException;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.schema.internal.CaseEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class WaitingRegistryClientTest {

    private static final Schema SCHEMA = CaseEvent.getClassSchema();

    private final HealthState health = new HealthState();

    @Test
    void shouldCallAgainWhileTheRegistryIsDownAndReportItUnhealthyMeanwhile() {
        AtomicInteger calls = new AtomicInteger();
        List<Boolean> reportedDownAtRefusal = new ArrayList<>();
        SchemaRegistryClient downTwice = registry(id -> {
            if (calls.incrementAndGet() < 3) {
                reportedDownAtRefusal.add(registryReportedDown());
                throw new SchemaRegistryUnavailableException("connection refused");
            }
            return SCHEMA;
        });

        Schema schema = new WaitingRegistryClient(downTwice, new RegistryWait(health, Duration.ofSeconds(30))).schemaById(7);

        assertThat(schema).isEqualTo(SCHEMA);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(reportedDownAtRefusal).containsExactly(false, true);
        assertThat(registryReportedDown()).isFalse();
    }

    @Test
    void shouldGiveUpAfterRegistryRetryMaxLeavingTheRegistryReportedDown() {
        AtomicInteger calls = new AtomicInteger();
        SchemaRegistryClient down = registry(id -> {
            calls.incrementAndGet();
            throw new SchemaRegistryUnavailableException("connection refused");
        });
        WaitingRegistryClient client = new WaitingRegistryClient(down, new RegistryWait(health, Duration.ofMillis(300)));

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.register("agent.case-events-value", SCHEMA)).isInstanceOf(SchemaRegistryUnavailableException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(calls.get()).isGreaterThan(1);
        assertThat(registryReportedDown()).isTrue();
    }

    @Test
    void shouldPassOnAnAnswerOfTheRegistryAtOnceAndNoLongerReportItDown() {
        AtomicInteger calls = new AtomicInteger();
        SchemaRegistryClient unknown = registry(id -> {
            calls.incrementAndGet();
            throw new SchemaNotFoundException("schema " + id + " not found");
        });
        // Reported down by an earlier wait that gave up: every call since was answered from the cache
        health.registryUnavailable("connection refused");

        assertThatThrownBy(() -> new WaitingRegistryClient(unknown, new RegistryWait(health, Duration.ofSeconds(30))).schemaById(99))
                .isInstanceOf(SchemaNotFoundException.class);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(registryReportedDown()).isFalse();
    }

    @Test
    void shouldTakeACallCutShortForNoAnswerOfTheRegistry() {
        SchemaRegistryClient interrupted = registry(id -> {
            throw new InterruptException("interrupted while calling the registry");
        });
        health.registryUnavailable("connection refused");

        assertThatThrownBy(() -> new WaitingRegistryClient(interrupted, new RegistryWait(health, Duration.ofSeconds(30))).schemaById(3))
                .isInstanceOf(InterruptException.class);
        assertThat(registryReportedDown()).as("nothing was learnt of the registry").isTrue();
        // Kafka's InterruptException marks the thread interrupted when made: clear it for the tests that run next on it.
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void shouldWaitOnlyForWhatTheCacheCannotAnswer() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String schema = TextNode.valueOf(SCHEMA.toString()).toString();
        registry.createContext("/", exchange -> {
            requests.incrementAndGet();
            respond(exchange, exchange.getRequestURI().getPath().startsWith("/schemas/ids/") ? "{\"schema\":" + schema + "}" : "{\"id\":5}");
        });
        registry.start();
        SchemaRegistryClient client = WaitingRegistryClient.of(MediatorConfig.defaults()
                .with(ConfigKeys.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + registry.getAddress().getPort())
                .with(ConfigKeys.REGISTRY_RETRY_MAX_MS, "60000"), health);
        assertThat(client.register("agent.case-events-value", SCHEMA)).isEqualTo(5);
        assertThat(client.schemaById(5)).isEqualTo(SCHEMA);

        assertThat(requests.get()).as("a registered schema's id is its own answer").isEqualTo(1);

        // Given the registry goes down
        registry.stop(0);

        // Then what it answered is answered without it, and without waiting or a word to health
        assertThat(client.register("agent.case-events-value", SCHEMA)).isEqualTo(5);
        assertThat(client.schemaById(5)).isEqualTo(SCHEMA);
        assertThat(requests.get()).isEqualTo(1);
        assertThat(registryReportedDown()).isFalse();
        // And what it did not, asked on a thread that is not Kafka Streams' (this one, an HTTP query's), fails at once instead
        // of after registry.retry.max.ms (a minute here)
        long asked = System.nanoTime();
        assertThatThrownBy(() -> client.schemaById(6)).isInstanceOf(SchemaRegistryUnavailableException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void shouldBeReadyAgainOnceTheRegistryIsBackAfterAQueryFoundItDown() throws IOException {
        AtomicBoolean down = new AtomicBoolean();
        AtomicInteger requests = new AtomicInteger();
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String schema = TextNode.valueOf(SCHEMA.toString()).toString();
        registry.createContext("/", exchange -> {
            requests.incrementAndGet();
            if (down.get()) {
                respond(exchange, 503, "{\"error_code\":50301,\"message\":\"down\"}");
            } else {
                respond(exchange, exchange.getRequestURI().getPath().startsWith("/schemas/ids/") ? "{\"schema\":" + schema + "}" : "{\"id\":5}");
            }
        });
        registry.start();
        try {
            // Given a ready instance whose pipeline has the schema it uses cached
            health.policyLoaded("v1");
            health.streamsState(KafkaStreams.State.RUNNING);
            SchemaRegistryClient client = WaitingRegistryClient.of(MediatorConfig.defaults()
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + registry.getAddress().getPort()), health);
            assertThat(client.register("agent.case-events-value", SCHEMA)).isEqualTo(5);
            assertThat(client.schemaById(5)).isEqualTo(SCHEMA);
            assertThat(health.ready()).isTrue();

            // When the registry answers 503 for a moment while an HTTP query (this thread) asks for a schema not cached
            down.set(true);
            assertThatThrownBy(() -> client.schemaById(6)).isInstanceOf(SchemaRegistryUnavailableException.class);
            // And it is back, while the pipeline goes on with what its cache answers, reaching the registry no more
            down.set(false);
            int before = requests.get();
            for (int i = 0; i < 1000; i++) {
                client.register("agent.case-events-value", SCHEMA);
                client.schemaById(5);
            }
            assertThat(requests.get()).isEqualTo(before);

            // Then the instance is ready: the query's failure, which nothing asked again, did not stay in readiness until a restart
            assertThat(health.problems()).isEmpty();
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void shouldRefuseARegistryRetryOutsideItsBoundsNamingTheKey() {
        // Zero or less made every record give up at once: its stream thread replaced until the client shut down
        // and past P36500D its nanoseconds overflowed at the first read: "error: long overflow", naming nothing
        for (String value : new String[] {"0", "-30000", "3153600000001", "9223372036854775807"}) {
            MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.REGISTRY_RETRY_MAX_MS, value);

            assertThatThrownBy(() -> WaitingRegistryClient.of(config, health))
                    .hasMessage("registry.retry.max.ms must be from 1 to 3153600000000, was \"" + value + "\"");
        }
    }

    private boolean registryReportedDown() {
        return health.problems().stream().anyMatch(problem -> problem.contains("schema registry unavailable"));
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        respond(exchange, 200, body);
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

    /** A registry whose every call is {@code byId} of some id: enough to see how the client waits. */
    private static SchemaRegistryClient registry(java.util.function.IntFunction<Schema> byId) {
        return new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                byId.apply(0);
                return 0;
            }

            @Override
            public int idOf(String subject, Schema schema) {
                byId.apply(0);
                return 0;
            }

            @Override
            public Schema schemaById(int id) {
                return byId.apply(id);
            }
        };
    }
}
