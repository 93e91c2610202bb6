package io.agentmediator.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gauge family filled at scrape time: a name, its help, and a data point per label set.
 *
 * <p>A label set given twice keeps its first value: Prometheus refuses a family with duplicate
 * labels, which would lose the scrape. It happens when two partitions hold state for one key (an
 * agent whose intents were once decided in two partitions); the value kept is one partition's, and
 * the duplicate is logged, rate-limited.
 */
final class Gauges {

    private static final Logger log = LoggerFactory.getLogger(Gauges.class);
    private static final RateLimitedWarning DUPLICATES = new RateLimitedWarning(log, Duration.ofMinutes(5), Clock.systemUTC());

    private final String name;
    private final String help;
    private final Map<Labels, GaugeDataPointSnapshot> points = new LinkedHashMap<>();

    Gauges(String name, String help) {
        this.name = name;
        this.help = help;
    }

    /** {@code labels} alternate names and values. */
    void add(double value, String... labels) {
        Labels key = Labels.of(labels);
        if (points.containsKey(key)) {
            DUPLICATES.warn("two values for {}; the first is exported, the other skipped", name + key, null);
            return;
        }
        points.put(key, GaugeDataPointSnapshot.builder().labels(key).value(value).build());
    }

    GaugeSnapshot snapshot() {
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
        points.values().forEach(builder::dataPoint);
        return builder.build();
    }
}
