package io.agentmediator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.testing.HttpGet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away under a running mediator, whose streams stay RUNNING all the while: readiness
 * must fail once the grace period has passed, saying why, and come back when the broker does.
 */
@Tag("slow")
class BrokerLossIT {

    private static final String SCOPE = "broker-loss-it";

    @TempDir Path dir;

    @Test
    void shouldReportALostBrokerAfterTheGracePeriodAndRecoverWithIt() throws Exception {
        int port = freePort();
        EmbeddedKafkaBroker broker = broker(port);
        try {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                    .with(ConfigKeys.HTTP_PORT, "0")
                    .with(ConfigKeys.HEALTH_BROKER_GRACE, "PT3S");
            try (MediatorApp app = MediatorApp.start(config, new HealthState())) {
                // Given a ready mediator
                app.awaitRunning(Duration.ofSeconds(60));
                awaitReadiness(app, r -> r.statusCode() == 200, Duration.ofSeconds(30));

                // When its broker stops
                broker.close();

                // Then, after the grace period, readiness fails naming the lost broker, and the gauge says so
                HttpResponse<String> down = awaitReadiness(app, r -> r.statusCode() == 503, Duration.ofSeconds(30));
                assertThat(down.body()).contains("\"status\":\"DOWN\"", "Kafka brokers unreachable for ");
                assertThat(HttpGet.get(app.httpPort(), "/metrics").body()).contains("mediator_broker_reachable 0.0");

                // And when the broker is back, the mediator is ready again
                broker = broker(port);
                HttpResponse<String> up = awaitReadiness(app, r -> r.statusCode() == 200, Duration.ofSeconds(90));
                assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"problems\":[]}");
                assertThat(HttpGet.get(app.httpPort(), "/metrics").body()).contains("mediator_broker_reachable 1.0");
            }
        } finally {
            broker.close();
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private EmbeddedKafkaBroker broker(int port) {
        return EmbeddedKafkaBroker.builder().port(port).dataDir(dir.resolve("kafka")).start();
    }

    private static HttpResponse<String> awaitReadiness(MediatorApp app, Predicate<HttpResponse<String>> expected, Duration timeout)
            throws Exception {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = HttpGet.get(app.httpPort(), "/health/ready");
        while (!expected.test(last) && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(200);
            last = HttpGet.get(app.httpPort(), "/health/ready");
        }
        assertThat(expected.test(last)).as("readiness within " + timeout + ", last answer " + last.statusCode() + " " + last.body()).isTrue();
        return last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
