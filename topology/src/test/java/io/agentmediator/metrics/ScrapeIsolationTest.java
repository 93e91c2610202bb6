package io.agentmediator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.health.HealthState;
import io.agentmediator.http.HttpAuthentication;
import io.agentmediator.http.HttpEndpoints;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.query.LocalStores;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.OperationsFiles;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One failing or inconsistent source of metrics never costs the scrape: /metrics answers 200 with everything else. */
class ScrapeIsolationTest {

    private static final String POLICY = """
            version: "scrape-1"
            tiers: [MANAGER]
            agents:
              - { id: buyer, capabilities: { actions: ["*"], targets: ["*"] }, budgets: [ { window: DAY, limitMicros: 1000 } ] }
            """;

    private final CurrentPolicy policy = new CurrentPolicy(PolicyParser.parse("scrape.yaml", POLICY).policy());
    private final MediatorMetrics metrics =
            new MediatorMetrics(new HealthState(), 10, Clock.fixed(Instant.parse("2026-11-23T09:00:00Z"), ZoneOffset.UTC));
    private final HttpEndpoints http = HttpEndpoints.start("127.0.0.1", 0, Duration.ofSeconds(30), HttpAuthentication.off());

    @AfterEach
    void tearDown() {
        http.close();
        metrics.close();
    }

    @Test
    void shouldAnswer200WithEveryOtherMetricWhenAGaugeThrows() throws Exception {
        // Given stores that fail in a way the gauges do not expect, and a collector that throws
        metrics.readStores(new BrokenStores(), policy);
        metrics.readKeptBytes(new BrokenStores(), 1L);
        metrics.register("broken", () -> {
            throw new IllegalStateException("a gauge that throws");
        });
        http.mount("/metrics", MetricsHandler.ACCESS, new MetricsHandler(metrics));

        // When Prometheus scrapes twice
        HttpGet.get(http.port(), "/metrics");
        HttpResponse<String> scrape = HttpGet.get(http.port(), "/metrics");

        // Then it answers, with the healthy metrics, and each failing collector is counted
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("mediator_ready 0.0").doesNotContain("mediator_budget_spent_micros{");
        for (String collector : List.of("broken", "budget", "escalation", "kept-bytes")) {
            assertThat(value(scrape.body(), "mediator_metrics_collect_failures_total{collector=\"" + collector + "\"}")).isPositive();
        }
        assertThat(value(scrape.body(), "mediator_metrics_collect_failures_total{collector=\"policy-info\"}")).isZero();
    }

    @Test
    void shouldKeepTheFirstValueOfALabelSetReportedTwice() {
        // Given two partitions reporting one agent's budget
        Gauges spent = new Gauges("mediator_budget_spent_micros", "spent");
        spent.add(5, "agent", "finance-analyst", "window", "DAY");
        spent.add(7, "agent", "finance-analyst", "window", "DAY");
        spent.add(1, "agent", "buyer", "window", "DAY");

        // When the family is built
        GaugeSnapshot snapshot = spent.snapshot();

        // Then it is valid, one point per label set, and the scrape holds it
        assertThat(snapshot.getDataPoints()).extracting(p -> p.getValue()).containsExactlyInAnyOrder(5.0, 1.0);
        metrics.register("twice", () -> MetricSnapshots.of(snapshot));
        assertThat(metrics.scrape()).contains("mediator_budget_spent_micros{agent=\"finance-analyst\",window=\"DAY\"} 5.0");
    }

    @Test
    void shouldExportEveryCounterTheDashboardAndAlertsReadAtZeroBeforeAnything() {
        // Given a mediator that has decided nothing yet, wired as MediatorApp wires it
        metrics.readSuspensions(new Suspensions());
        metrics.readTokenReloads(HttpAuthentication.off());
        Topology topology = new Topology();
        topology.addSource("intents-source", "agent.intents");
        metrics.startAtZero(policy, topology.describe(), List.of("agent-gate"));

        // When scraped
        String scrape = metrics.scrape();

        // Then every counter and histogram the operations files query is there, at 0 for the policy's agents
        Set<String> exported = Arrays.stream(scrape.split("\n")).filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
        Set<String> counters = OperationsFiles.metricNames(OperationsFiles.dashboardQueries());
        counters.addAll(OperationsFiles.metricNames(OperationsFiles.alertQueries()));
        counters.removeIf(name -> !name.startsWith("mediator_") || !(name.endsWith("_total") || name.endsWith("_bucket")));
        assertThat(counters).contains("mediator_rate_limited_total", "mediator_dead_letters_total");
        assertThat(exported).containsAll(counters);
        assertThat(scrape)
                .contains("mediator_rate_limited_total{agent=\"buyer\"} 0.0")
                .contains("mediator_decisions_total{agent=\"buyer\",outcome=\"EXECUTE\",reason=\"NONE\"} 0.0")
                .contains("mediator_dead_letters_total{source_topic=\"agent.intents\"} 0.0");
    }

    private static double value(String scrape, String series) {
        return Arrays.stream(scrape.split("\n")).filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1))).orElseThrow(() -> new AssertionError(series + " not exported"));
    }

    /** Stores that answer every read with an error no gauge expects. */
    private static final class BrokenStores implements LocalStores {

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> all(String storeName) {
            throw new IllegalStateException("store " + storeName + " broke");
        }

        @Override
        public <V> ReadOnlyKeyValueStore<String, V> partition(String storeName, int partition) {
            throw new IllegalStateException("store " + storeName + " broke");
        }
    }
}
