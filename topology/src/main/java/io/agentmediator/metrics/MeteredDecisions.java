package io.agentmediator.metrics;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts decisions and dead letters into a Micrometer registry:
 * {@code mediator_decisions_total{agent,outcome,reason}} (reason: the first one, which decided a
 * rejection; {@code NONE} for a plain EXECUTE), {@code mediator_rate_limited_total{agent}},
 * {@code mediator_resource_conflicts_total{agent}}, {@code mediator_dead_letters_total{source_topic}} and
 * {@code mediator_intent_ids_shared_total}, the histogram {@code mediator_decision_latency_seconds{outcome}} from the causing record's timestamp to
 * the moment the decision is emitted.
 */
public final class MeteredDecisions implements DecisionMetrics {

    /** Bucket bounds of the latency histogram: a few per decade from 1 ms to 2 minutes, enough for percentiles. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(2)
    };

    /** The reason label of a decision without reasons (a plain EXECUTE). */
    private static final String NO_REASON = "NONE";
    /** The source label of a dead letter read from no topic: a record housekeeping sent that could not be written. */
    private static final String NO_SOURCE = "unknown";

    private final AgentLabels agents;
    private final Clock clock;
    private final Meter.MeterProvider<Counter> decisions;
    private final Meter.MeterProvider<Counter> rateLimited;
    private final Meter.MeterProvider<Counter> conflicts;
    private final Meter.MeterProvider<Counter> deadLetters;
    private final Meter.MeterProvider<Timer> latency;
    private final Meter.MeterProvider<Counter> skipped;
    private final Counter shared;
    private final Counter answersNotKept;
    /**
     * The meters a decision touches, by agent label (bounded by {@link AgentLabels}): a tag lookup in the
     * registry builds and sorts the tags and hashes the id every time, once per decision and meter, where
     * these are a few map reads. Meters are never removed from the registry, so a cached one stays live.
     */
    private final Map<String, AgentMeters> byAgent = new ConcurrentHashMap<>();
    private final Map<DecisionOutcome, Timer> latencyByOutcome = new EnumMap<>(DecisionOutcome.class);

    public MeteredDecisions(MeterRegistry registry, AgentLabels agents, Clock clock) {
        this.agents = agents;
        this.clock = clock;
        decisions = Counter.builder("mediator.decisions")
                .description("Decisions emitted, by agent, outcome and first reason")
                .withRegistry(registry);
        rateLimited = Counter.builder("mediator.rate.limited")
                .description("Intents rejected RATE_LIMITED, by agent")
                .withRegistry(registry);
        conflicts = Counter.builder("mediator.resource.conflicts")
                .description("Decisions naming a RESOURCE_CONFLICT, by agent")
                .withRegistry(registry);
        deadLetters = Counter.builder("mediator.dead.letters")
                .description("Records written to the dead-letter topic, by the topic they were read from")
                .withRegistry(registry);
        skipped = Counter.builder("mediator.housekeeping.skipped")
                .description("Housekeeping entries (or whole punctuations) that failed, were undone and skipped, by processor")
                .withRegistry(registry);
        shared = Counter.builder("mediator.intent.ids.shared")
                .description("Intent ids decided for an agent while another agent's case under the same id was open")
                .register(registry);
        answersNotKept = Counter.builder("mediator.answers.not.kept")
                .description("Approvals and outcomes recorded at once as matching no case because limits.answers.waiting.max"
                        + " answers already waited for their intent's owner")
                .register(registry);
        latency = Timer.builder("mediator.decision.latency")
                .description("From the timestamp of the record that caused a decision to the moment it is emitted")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .withRegistry(registry);
        for (DecisionOutcome outcome : DecisionOutcome.values()) {
            latencyByOutcome.put(outcome, latency.withTags("outcome", outcome.name()));
        }
    }

    /**
     * Exports at 0 the counters dashboards and alerts read, for the label sets known before anything
     * happened, so a query over them has a series from the start instead of "no data" until the first
     * event: per agent its rate limits, conflicts, plain executions and unanswered claims (an alert reads them); per topic, and for
     * none, its dead letters; per
     * processor its skipped housekeeping; per outcome the latency histogram. Idempotent: an existing series keeps its count.
     */
    public void startAtZero(Collection<String> agentIds, Collection<String> deadLetterSources, Collection<String> processors) {
        for (String agentId : agentIds) {
            AgentMeters meters = meters(agents.of(agentId));
            meters.decisions(DecisionOutcome.EXECUTE, NO_REASON);
            meters.decisions(DecisionOutcome.REJECT, ReasonCode.CLAIMS_UNANSWERED.name());
        }
        deadLetterSources.forEach(topic -> deadLetters.withTags("source_topic", topic));
        deadLetters.withTags("source_topic", NO_SOURCE);
        processors.forEach(processor -> skipped.withTags("processor", processor));
    }

    @Override
    public void decided(Decision decision, long causeTimestampMs) {
        AgentMeters meters = meters(agents.of(decision.getAgentId()));
        String first = decision.getReasons().isEmpty() ? NO_REASON : decision.getReasons().get(0).getCode().name();
        meters.decisions(decision.getOutcome(), first).increment();
        for (Reason reason : decision.getReasons()) {
            if (reason.getCode() == ReasonCode.RATE_LIMITED) {
                meters.rateLimited.increment();
            } else if (reason.getCode() == ReasonCode.RESOURCE_CONFLICT) {
                meters.conflicts.increment();
            }
        }
        // An agent's clock ahead of ours would give a negative latency; it counts as immediate.
        long elapsedMs = Math.max(0, clock.millis() - causeTimestampMs);
        latencyByOutcome.get(decision.getOutcome()).record(Duration.ofMillis(elapsedMs));
    }

    private AgentMeters meters(String agent) {
        AgentMeters meters = byAgent.get(agent);
        return meters != null ? meters : byAgent.computeIfAbsent(agent, AgentMeters::new);
    }

    @Override
    public void deadLettered(String sourceTopic) {
        deadLetters.withTags("source_topic", sourceTopic == null ? NO_SOURCE : sourceTopic).increment();
    }

    @Override
    public void intentIdShared() {
        shared.increment();
    }

    @Override
    public void answerNotKept() {
        answersNotKept.increment();
    }

    @Override
    public void skipped(String processor) {
        skipped.withTags("processor", processor).increment();
    }

    /** One agent label's counters; its decision counters made on first use, by outcome and first reason. */
    private final class AgentMeters {
        private final String agent;
        private final Counter rateLimited;
        private final Counter conflicts;
        private final Map<DecisionOutcome, Map<String, Counter>> decisionsByOutcome = new EnumMap<>(DecisionOutcome.class);

        AgentMeters(String agent) {
            this.agent = agent;
            this.rateLimited = MeteredDecisions.this.rateLimited.withTags("agent", agent);
            this.conflicts = MeteredDecisions.this.conflicts.withTags("agent", agent);
            for (DecisionOutcome outcome : DecisionOutcome.values()) {
                decisionsByOutcome.put(outcome, new ConcurrentHashMap<>());
            }
        }

        Counter decisions(DecisionOutcome outcome, String reason) {
            Map<String, Counter> byReason = decisionsByOutcome.get(outcome);
            Counter counter = byReason.get(reason);
            return counter != null ? counter : byReason.computeIfAbsent(reason,
                    r -> MeteredDecisions.this.decisions.withTags("agent", agent, "outcome", outcome.name(), "reason", r));
        }
    }
}
