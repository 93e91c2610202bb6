package io.agentmediator.metrics;

import io.agentmediator.controls.Suspension;
import io.agentmediator.controls.Suspensions;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * {@code mediator_agent_suspended{agent, by} = since (epoch seconds)}: one series per kill switch in
 * force on this instance ({@code agent="*"} for every agent), so a dashboard shows who pulled which
 * and when, and an alert sees one left on. No series while no switch is on.
 */
public final class SuspendedAgents implements MultiCollector {

    private final Suspensions suspensions;

    public SuspendedAgents(Suspensions suspensions) {
        this.suspensions = suspensions;
    }

    @Override
    public MetricSnapshots collect() {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder()
                .name("mediator_agent_suspended")
                .help("Kill switches in force: the time each was pulled (epoch seconds), by agent and operator");
        for (Suspension suspension : suspensions.all().values()) {
            gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("agent", suspension.scope(), "by", suspension.by()))
                    .value(suspension.at().getEpochSecond())
                    .build());
        }
        return MetricSnapshots.of(gauge.build());
    }
}
