package io.agentmediator.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;

/** One gauge family filled at scrape time: a name, its help, and a data point per label set. */
final class Gauges {

    private final String name;
    private final String help;
    private final List<GaugeDataPointSnapshot> points = new ArrayList<>();

    Gauges(String name, String help) {
        this.name = name;
        this.help = help;
    }

    /** {@code labels} alternate names and values. */
    void add(double value, String... labels) {
        points.add(GaugeDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
    }

    GaugeSnapshot snapshot() {
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
        points.forEach(builder::dataPoint);
        return builder.build();
    }
}
