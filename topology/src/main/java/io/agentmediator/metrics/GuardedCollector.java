package io.agentmediator.metrics;

import io.micrometer.core.instrument.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * A collector whose failure costs only its own metrics: Prometheus' registry builds one scrape from
 * every collector, so one that throws (a store in an unexpected state, a label set reported twice)
 * would otherwise answer the whole scrape with an error. The failure is logged, rate-limited, and
 * counted in {@code mediator_metrics_collect_failures_total{collector}}; the collector is tried again
 * at the next scrape.
 */
final class GuardedCollector implements MultiCollector {

    private final String name;
    private final MultiCollector collector;
    private final Counter failures;
    private final RateLimitedWarning warning;

    GuardedCollector(String name, MultiCollector collector, Counter failures, RateLimitedWarning warning) {
        this.name = name;
        this.collector = collector;
        this.failures = failures;
        this.warning = warning;
    }

    @Override
    public MetricSnapshots collect() {
        try {
            return collector.collect();
        } catch (RuntimeException e) {
            failures.increment();
            warning.warn("metrics of {} left out of this scrape", name, e);
            return MetricSnapshots.of();
        }
    }
}
