package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed controls on the real broker, through the publisher {@code suspend} and {@code resume} use: an
 * operator's signed suspension holds against an unsigned resumption written after it, also on an
 * instance that rebuilds its controls store from the topic (a new volume), where Kafka Streams passes
 * every record through the loader again.
 */
@Tag("slow")
class SignedControlsIT {

    private static final String SCOPE = "signed-controls-it";
    private static final String SUSPENDED = "mediator_agent_suspended{agent=\"runaway\",by=\"alice\"}";
    private static final String REFUSED_UNSIGNED = "mediator_controls_refused_total{reason=\"UNSIGNED\"} 1.0";

    @TempDir Path dir;

    @Test
    void shouldKeepASignedSuspensionAgainstAnUnsignedResumptionAlsoWhenTheStoreIsRebuilt() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                version: "signed-controls-it-1"
                tiers: [MANAGER]
                agents:
                  - { id: runaway, capabilities: { actions: ["*"], targets: ["*"] } }
                operators:
                  - { id: alice, publicKey: "%s" }
                """.formatted(TestKeys.publicKey("alice")));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.POLICY_FILE, policy.toString())
                    .with(ConfigKeys.HTTP_PORT, "0");
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

            // Given alice's signed suspension, then an unsigned resumption naming her, read by a running mediator
            try (MediatorApp first = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("first").toString()), new HealthState())) {
                first.awaitRunning(Duration.ofSeconds(60));
                ControlPublisher publisher = new ControlPublisher(config);
                publisher.publish("runaway", new Control(ControlAction.SUSPEND, "runaway spending", "alice", now),
                        TestKeys.privateKey("alice"));
                publisher.publish("runaway", new Control(ControlAction.RESUME, "all fine", "alice", now.plusSeconds(1)), null);

                // Then the suspension holds and the resumption was refused
                assertThat(awaitMetrics(first, SUSPENDED, REFUSED_UNSIGNED)).contains(SUSPENDED, REFUSED_UNSIGNED);
            }

            // When an instance starts on a new volume and rebuilds its controls from the topic
            try (MediatorApp second = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("second").toString()), new HealthState())) {
                second.awaitRunning(Duration.ofSeconds(60));

                // Then it judges the records again and the suspension still holds
                assertThat(awaitMetrics(second, SUSPENDED, REFUSED_UNSIGNED)).contains(SUSPENDED, REFUSED_UNSIGNED);
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    /** The scrape once it shows every one of {@code expected}, or the last one after 30 s. */
    private static String awaitMetrics(MediatorApp app, String... expected) throws Exception {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String scrape = HttpGet.get(app.httpPort(), "/metrics").body();
        while (!containsAll(scrape, expected) && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(200);
            scrape = HttpGet.get(app.httpPort(), "/metrics").body();
        }
        return scrape;
    }

    private static boolean containsAll(String scrape, String... expected) {
        for (String each : expected) {
            if (!scrape.contains(each)) {
                return false;
            }
        }
        return true;
    }
}
