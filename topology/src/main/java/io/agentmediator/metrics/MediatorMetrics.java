package io.agentmediator.metrics;

import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.query.LocalStores;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The mediator's metrics registry and everything bound to it: decisions and dead letters
 * ({@link MeteredDecisions}), budgets and escalations read from local stores at scrape time, the
 * policy in force and its reload failures, readiness, Kafka Streams' own metrics (with those of its
 * consumers and producers) and the JVM's. {@link #scrape} gives the Prometheus text format.
 */
public final class MediatorMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeteredDecisions decisions;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Clock clock;
    private KafkaStreamsMetrics streamsMetrics;

    /** {@code clock} is the wall clock of latencies, budget windows and escalation ages. */
    public MediatorMetrics(HealthState health, int agentLabelLimit, Clock clock) {
        this.clock = clock;
        decisions = new MeteredDecisions(registry, new AgentLabels(agentLabelLimit), clock);
        FunctionCounter.builder("mediator.policy.reload.failures", health, HealthState::policyRefusals)
                .description("Published policy documents refused because they did not validate")
                .register(registry);
        Gauge.builder("mediator.ready", health, state -> state.ready() ? 1 : 0)
                .description("1 when ready to decide: streams RUNNING, a policy loaded, the schema registry answering")
                .register(registry);
        registry.getPrometheusRegistry().register(new PolicyInfo(health));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** What the topology reports decisions and dead letters to. */
    public DecisionMetrics decisions() {
        return decisions;
    }

    /** Adds the budget and escalation gauges, read from {@code stores} at each scrape. */
    public void readStores(LocalStores stores, CurrentPolicy policy) {
        registry.getPrometheusRegistry().register(new BudgetGauges(stores, policy, clock));
        registry.getPrometheusRegistry().register(new EscalationGauges(stores, policy, clock));
    }

    /** Binds the client's own metrics, with those of its consumers, producers and admin client; once. */
    public void bindStreams(KafkaStreams streams) {
        if (streamsMetrics != null) {
            throw new IllegalStateException("a streams client is already bound");
        }
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /** Every metric in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        gc.close();
        registry.close();
    }
}
