package io.agentmediator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.OperationsFiles;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running mediator on the real broker, after intents of every kind (executed, escalated, rejected,
 * rate-limited, dead-lettered) and a refused policy, exports every metric the Grafana dashboard and
 * the alert rules read: names are taken from their queries, so a renamed metric or a new panel on a
 * metric nobody exports fails here.
 */
@Tag("slow")
class MetricsExportIT {

    private static final String SCOPE = "metrics-export-it";

    @TempDir Path stateDir;

    @Test
    void shouldExportEveryMetricTheDashboardAndTheAlertRulesUse() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, SCOPE)
                    .with(ConfigKeys.STATE_DIR, stateDir.toString())
                    .with(ConfigKeys.HTTP_PORT, "0");
            try (MediatorApp app = MediatorApp.start(config, new HealthState())) {
                app.awaitRunning(Duration.ofSeconds(60));
                assertStartedAtZero(HttpGet.get(app.httpPort(), "/metrics").body(), app.topics());
                int decisions = drive(broker.bootstrapServers(), app.topics());
                List<?> decided = KafkaTestClients.readCommitted(broker.bootstrapServers(),
                        app.topics().decisions().stream().map(t -> t.name()).toList(), decisions, Duration.ofSeconds(60));
                assertThat(decided).hasSize(decisions);
                awaitRefusal(app.health());

                assertThat(HttpGet.get(app.httpPort(), "/health/ready").statusCode()).isEqualTo(200);
                Set<String> exported = exportedNames(HttpGet.get(app.httpPort(), "/metrics"));

                Set<String> used = OperationsFiles.metricNames(OperationsFiles.dashboardQueries());
                used.addAll(OperationsFiles.metricNames(OperationsFiles.alertQueries()));
                assertThat(used).contains("mediator_decisions_total", "mediator_budget_utilisation_ratio",
                        "kafka_consumer_fetch_manager_records_lag_max");
                assertThat(exported).containsAll(used);
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    /** Before anything happened, a series at 0 for every label an alert's increase() must see go up from the first event. */
    private static void assertStartedAtZero(String scrape, Topics topics) {
        for (String processor : MediatorTopology.HOUSEKEEPERS) {
            assertThat(scrape).contains("mediator_housekeeping_skipped_total{processor=\"" + processor + "\"} 0.0");
        }
        assertThat(MediatorTopology.HOUSEKEEPERS).contains("claim-answers", "dependency-waits", "owner-waits");
        List<TopicSpec<?, ?>> read = List.of(topics.intents(), topics.intentsPlaced(), topics.approvals(), topics.approvalsPlaced(),
                topics.outcomes(), topics.outcomesPlaced(), topics.caseOwners(), topics.caseEvents(), topics.ledgerRequests(),
                topics.ledgerReplies(), topics.policies(), topics.policiesAccepted(), topics.controls(), topics.controlsPlaced(),
                topics.controlsAccepted());
        for (TopicSpec<?, ?> topic : read) {
            assertThat(scrape).contains("mediator_dead_letters_total{source_topic=\"" + topic.name() + "\"} 0.0");
        }
    }

    /** Sends one of each kind of intent and an unreadable record and policy; returns how many decisions follow. */
    private static int drive(String bootstrapServers, Topics topics) throws Exception {
        Instant now = Instant.now();
        int decisions = 0;
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(bootstrapServers)) {
            // A burst of 12 from an agent whose bucket holds 10: the last two are RATE_LIMITED.
            for (int i = 0; i < 12; i++) {
                producer.send(IntentRecords.intent(topics, "burst-" + i, "procurement-buyer", "quote.request", "supplier-portal", 1_000, 0, now));
                decisions++;
            }
            producer.send(IntentRecords.intent(topics, "big-invoice", "finance-analyst", "invoice.create", "erp", 45_000_000, 6_000_000_000L, now));
            producer.send(IntentRecords.intent(topics, "stranger", "nobody-registered", "invoice.create", "erp", 0, 0, now));
            decisions += 2;
            producer.send(new ProducerRecord<>(topics.intents().name(), "finance-analyst".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(topics.policies().name(), "default".getBytes(StandardCharsets.UTF_8),
                    "not a policy".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        return decisions;
    }

    private static void awaitRefusal(HealthState health) throws InterruptedException {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (health.policyRefusals() == 0 && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(100);
        }
        assertThat(health.policyRefusals()).isEqualTo(1);
    }

    /** The metric names of a Prometheus text exposition: the first word of every sample line. */
    private static Set<String> exportedNames(HttpResponse<String> scrape) {
        assertThat(scrape.statusCode()).isEqualTo(200);
        return Arrays.stream(scrape.body().split("\n"))
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
    }
}
