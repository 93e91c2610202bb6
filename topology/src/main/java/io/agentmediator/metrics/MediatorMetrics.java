package io.agentmediator.metrics;

import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.controls.ControlRefusal;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.http.HttpAuthentication;
import io.agentmediator.query.LocalStores;
import io.agentmediator.rules.RuleLimitCount;
import io.agentmediator.topics.SourceTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mediator's metrics registry and everything bound to it: decisions and dead letters
 * ({@link MeteredDecisions}), budgets and escalations read from local stores at scrape time, the
 * policy in force and its reload failures, the HTTP token files' reload failures, rule evaluations stopped at a limit, readiness, the restoration of state stores,
 * Kafka Streams' own metrics (with those of its consumers and producers) and the JVM's. {@link #scrape} gives the Prometheus text format.
 */
public final class MediatorMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediatorMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AgentLabels agentLabels;
    private final MeteredDecisions decisions;
    private final StateRestoreMeter restores;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Clock clock;
    private final Meter.MeterProvider<Counter> collectFailures;
    private final RateLimitedWarning failureWarning;
    private Runnable zeroes = () -> {};
    private KafkaStreamsMetrics streamsMetrics;

    /** {@code clock} is the wall clock of latencies, budget windows and escalation ages. */
    public MediatorMetrics(HealthState health, int agentLabelLimit, Clock clock) {
        this.clock = clock;
        agentLabels = new AgentLabels(agentLabelLimit);
        registry.config().meterFilter(MeterFilter.deny(StoreMetrics::unexported));
        decisions = new MeteredDecisions(registry, agentLabels, clock);
        FunctionCounter.builder("mediator.policy.reload.failures", health, HealthState::policyRefusals)
                .description("Published policy documents refused because they did not validate")
                .register(registry);
        for (RuleLimitCount.Limit limit : RuleLimitCount.Limit.values()) {
            FunctionCounter.builder("mediator.rule.limit.exceeded", limit, RuleLimitCount::total)
                    .description("Rule evaluations stopped at a limit (each an ERROR outcome: RULE_ERROR, failed closed), by limit")
                    .tag("limit", limit.name())
                    .register(registry);
        }
        Gauge.builder("mediator.ready", health, state -> state.ready() ? 1 : 0)
                .description("1 when ready to decide: streams RUNNING, a policy loaded, the schema registry and the Kafka brokers answering")
                .register(registry);
        Gauge.builder("mediator.broker.reachable", health, state -> state.brokerReachable() ? 1 : 0)
                .description("0 once the Kafka brokers have not answered for health.broker.grace, 1 otherwise")
                .register(registry);
        restores = new StateRestoreMeter(registry);
        collectFailures = Counter.builder("mediator.metrics.collect.failures")
                .description("Scrapes that left out a collector's metrics because it failed (logged, rate-limited), by collector")
                .withRegistry(registry);
        failureWarning = new RateLimitedWarning(log, Duration.ofMinutes(1), clock);
        register("policy-info", new PolicyInfo(health));
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
        register("budget", new BudgetGauges(stores, policy, clock));
        register("escalation", new EscalationGauges(stores, policy, clock));
    }

    /** Adds what is kept in memory for each agent, read from {@code stores} at each scrape, and its limit. */
    public void readKeptBytes(LocalStores stores, long limitBytes) {
        register("kept-bytes", new KeptBytesGauges(stores, limitBytes));
    }

    /** Adds the kill switches in force, and the controls refused (each reason exported at 0 before any). */
    public void readSuspensions(Suspensions suspensions) {
        register("suspensions", new SuspendedAgents(suspensions));
        for (ControlRefusal.Reason reason : ControlRefusal.Reason.values()) {
            FunctionCounter.builder("mediator.controls.refused", suspensions.refusals(), refusals -> refusals.total(reason))
                    .description("Records on the controls topic that changed nothing (unreadable, unsigned, unknown operator,"
                            + " a signature that does not verify, older than the control in force), by reason")
                    .tag("reason", reason.name())
                    .register(registry);
        }
    }

    /**
     * Adds how far the read horizon trails the wall clock: deadlines and timeouts are held back by as much. A few seconds
     * when the group keeps up; growing while it reads a backlog, lags, or the cluster does not tell its offsets. Call it
     * as the group's progress starts being followed: until that progress is first confirmed, it counts from then.
     */
    public void readHorizon(ReadHorizon horizon) {
        // Until the group's first progress is confirmed the horizon is the start of time: counted from 1970, a restart
        // that catches up for minutes would read 56 years, where the first note, once confirmed, reads those minutes.
        Instant followedFrom = clock.instant();
        Gauge.builder("mediator.read.horizon.behind", horizon, h -> {
                    Instant now = clock.instant();
                    Instant read = h.known() ? h.at(now) : followedFrom;
                    return Duration.between(read, now).toMillis() / 1000.0;
                })
                .description("How far behind the wall clock the consumer group has read everything (and what it caused):"
                        + " escalation deadlines and the claims, dependency and owner timeouts count only up to there")
                .baseUnit("seconds")
                .register(registry);
    }

    /** Adds the changes of the HTTP token files that could not be used (0 from the start, and with authentication off). */
    public void readTokenReloads(HttpAuthentication authentication) {
        FunctionCounter.builder("mediator.http.token.reload.failures", authentication, HttpAuthentication::reloadFailures)
                .description("Changes of the HTTP bearer token files that could not be used (unreadable, empty, a short token);"
                        + " the tokens read before stay in force")
                .register(registry);
    }

    /**
     * Exports the decision and dead-letter counters at 0 for the agents of the policy in force (checked
     * again at every scrape, so agents a reloaded policy adds appear too) and every topic {@code topology}
     * reads, global ones included: a record from any of them can be dead-lettered, unreadable or failed on
     * by its processor. And the skipped housekeeping of the processors that keep house. The agents of the
     * policy in force keep their label past {@code metrics.agent.label.limit}, which caps only the others.
     */
    public void startAtZero(CurrentPolicy policy, TopologyDescription topology, Collection<String> housekeepers) {
        agentLabels.registered(agentId -> policy.get().agent(agentId).isPresent());
        Set<String> sources = new TreeSet<>(SourceTopics.ofSubtopologies(topology));
        sources.addAll(SourceTopics.ofGlobalStores(topology));
        zeroes = () -> decisions.startAtZero(policy.get().agents().keySet(), sources, housekeepers);
        zeroes.run();
    }

    /** Registers a collector so that its failure leaves out only its own metrics, never the scrape. */
    void register(String name, MultiCollector collector) {
        registry.getPrometheusRegistry().register(
                new GuardedCollector(name, collector, collectFailures.withTags("collector", name), failureWarning));
    }

    /**
     * Binds the client's own metrics, with those of its consumers, producers and admin client, and
     * meters the restoration of the stores of {@code topology} (exported at 0 before any); once, before
     * the client starts.
     */
    public void bindStreams(KafkaStreams streams, TopologyDescription topology) {
        if (streamsMetrics != null) {
            throw new IllegalStateException("a streams client is already bound");
        }
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        restores.startAtZero(storeNames(topology));
        streams.setGlobalStateRestoreListener(restores);
    }

    private static Set<String> storeNames(TopologyDescription topology) {
        Set<String> stores = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
        }
        topology.globalStores().forEach(global -> stores.addAll(global.processor().stores()));
        return stores;
    }

    /** Every metric in the Prometheus text format. */
    public String scrape() {
        zeroes.run();
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
