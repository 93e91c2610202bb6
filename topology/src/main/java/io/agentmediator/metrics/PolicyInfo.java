package io.agentmediator.metrics;

import io.agentmediator.health.HealthState;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * {@code mediator_policy_info{version="..."} 1}: the policy version in force on this instance, as an
 * info metric so a dashboard can show it and an alert can see instances disagree. Absent until a
 * policy is loaded.
 */
public final class PolicyInfo implements MultiCollector {

    private final HealthState health;

    public PolicyInfo(HealthState health) {
        this.health = health;
    }

    @Override
    public MetricSnapshots collect() {
        String version = health.policyVersion();
        if (version == null) {
            return MetricSnapshots.of();
        }
        return MetricSnapshots.of(InfoSnapshot.builder()
                .name("mediator_policy")
                .help("The policy version in force")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", version)).build())
                .build());
    }
}
