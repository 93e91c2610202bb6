package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import io.agentmediator.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed controls on the real broker, through the publisher {@code suspend} and {@code resume} use: an
 * operator's signed suspension holds against an unsigned resumption written after it, also on an
 * instance that rebuilds its kill switches on a new volume after the controls topic was compacted
 * (only the refused resumption left of that key) and the operator's key was rotated: it loads what was
 * accepted and judges nothing again.
 */
@Tag("slow")
class SignedControlsIT {

    private static final String SCOPE = "signed-controls-it";
    private static final String SUSPENDED = "mediator_agent_suspended{agent=\"runaway\",by=\"alice\"}";
    private static final String REFUSED_UNSIGNED = "mediator_controls_refused_total{reason=\"UNSIGNED\"} 1.0";
    private static final String REFUSED_TWICE = "mediator_controls_refused_total{reason=\"UNSIGNED\"} 2.0";
    private static final String LAST_REASON = "closes the segment";
    private static final String NONE_REFUSED = "mediator_controls_refused_total{reason=\"UNSIGNED\"} 0.0";

    @TempDir Path dir;

    @Test
    void shouldKeepASignedSuspensionOnANewVolumeAfterCompactionAndAKeyRotation() throws Exception {
        String policyOf = """
                version: "%s"
                tiers: [MANAGER]
                agents:
                  - { id: runaway, capabilities: { actions: ["*"], targets: ["*"] } }
                operators:
                  - { id: alice, publicKey: "%s" }
                """;
        Path policy = Files.writeString(dir.resolve("policy.yaml"), policyOf.formatted("signed-controls-it-1", TestKeys.publicKey("alice")));
        Path rotated = Files.writeString(dir.resolve("rotated.yaml"),
                policyOf.formatted("signed-controls-it-2", TestKeys.publicKey("alice-rotated")));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().brokerProperty("log.cleaner.backoff.ms", 200).start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.HTTP_PORT, "0");
            String controls = Topics.of(config).controls().name();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

            // Given alice's signed suspension, then an unsigned resumption naming her, read by a running mediator
            try (MediatorApp first = MediatorApp.start(config.with(ConfigKeys.POLICY_FILE, policy.toString())
                    .with(ConfigKeys.STATE_DIR, dir.resolve("first").toString()), new HealthState())) {
                first.awaitRunning(Duration.ofSeconds(60));
                compactSoon(broker, controls);
                ControlPublisher publisher = new ControlPublisher(config);
                publisher.publish("runaway", new Control(ControlAction.SUSPEND, "runaway spending", "alice", now),
                        TestKeys.privateKey("alice"));
                publisher.publish("runaway", new Control(ControlAction.RESUME, "all fine", "alice", now.plusSeconds(1)), null);

                // Then the suspension holds and the resumption was refused
                assertThat(awaitMetrics(first, SUSPENDED, REFUSED_UNSIGNED)).contains(SUSPENDED, REFUSED_UNSIGNED);

                // And once another unsigned resumption closed their segment, compaction left no suspension of that key
                Thread.sleep(500);
                publisher.publish("runaway", new Control(ControlAction.RESUME, LAST_REASON, "alice", now.plusSeconds(2)), null);
                assertThat(awaitMetrics(first, SUSPENDED, REFUSED_TWICE)).contains(SUSPENDED, REFUSED_TWICE);
                assertThat(awaitCompaction(broker, controls)).as("what is left of runaway's controls")
                        .isNotEmpty().allSatisfy(json -> assertThat(json).contains("RESUME"));
            }

            // When alice's key is rotated, and an instance starts on a new volume and rebuilds its kill switches
            try (MediatorApp second = MediatorApp.start(config.with(ConfigKeys.POLICY_FILE, rotated.toString())
                    .with(ConfigKeys.STATE_DIR, dir.resolve("second").toString()), new HealthState())) {
                second.awaitRunning(Duration.ofSeconds(60));

                // Then the suspension holds there, and nothing was judged, nor counted refused, a second time
                assertThat(awaitMetrics(second, SUSPENDED, NONE_REFUSED)).contains(SUSPENDED, NONE_REFUSED);
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    /** Lets the broker's cleaner compact {@code topic} as soon as a segment closes, and close one after 100 ms. */
    private static void compactSoon(EmbeddedKafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(KafkaTestClients.adminConfig(broker.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
                    new AlterConfigOp(new ConfigEntry("segment.ms", "100"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("min.cleanable.dirty.ratio", "0.01"), AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    /** The values left under the key runaway in {@code topic}, once none is a suspension, or what is left after 60 s. */
    private static List<String> awaitCompaction(EmbeddedKafkaBroker broker, String topic) throws Exception {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> left = runawayValues(broker, topic);
        while (left.stream().anyMatch(json -> json.contains("SUSPEND")) && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(500);
            left = runawayValues(broker, topic);
        }
        return left;
    }

    private static List<String> runawayValues(EmbeddedKafkaBroker broker, String topic) {
        return KafkaTestClients.readCommittedUntil(broker.bootstrapServers(), List.of(topic),
                        records -> records.stream().anyMatch(r -> r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains(LAST_REASON)),
                        Duration.ofSeconds(10)).stream()
                .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals("runaway"))
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
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
