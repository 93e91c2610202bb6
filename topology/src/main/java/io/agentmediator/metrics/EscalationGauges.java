package io.agentmediator.metrics;

import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.Policy;
import io.agentmediator.query.LiveEntries;
import io.agentmediator.query.LocalStores;
import io.agentmediator.schema.Decision;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The escalation backlog at scrape time, from the {@link GateStores#OPEN_ESCALATIONS} partitions this
 * instance is active for: how many are open per tier (summed over instances: exact), how long the
 * oldest of each tier has waited and how much of its own time to be answered the most pressed one has
 * used (max over instances), with the policy's escalation timeout. Every tier of the policy is
 * reported, with 0 when none is open.
 */
public final class EscalationGauges implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(EscalationGauges.class);

    private final LocalStores stores;
    private final CurrentPolicy policy;
    private final Clock clock;

    public EscalationGauges(LocalStores stores, CurrentPolicy policy, Clock clock) {
        this.stores = stores;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect() {
        Policy inForce = policy.get();
        Instant now = clock.instant();
        Map<String, TierBacklog> tiers = new LinkedHashMap<>();
        for (String tier : inForce.tiers()) {
            tiers.put(tier, new TierBacklog());
        }
        Gauges timeout = new Gauges("mediator_escalation_timeout_seconds",
                "The policy's escalationTimeout: an escalation opened now and unanswered this long is rejected");
        timeout.add(inForce.defaults().escalationTimeout().toMillis() / 1000.0);
        try (KeyValueIterator<String, CaseFileValue> all = stores.<CaseFileValue>all(GateStores.OPEN_ESCALATIONS).all()) {
            LiveEntries.forEach(all, (intentId, value) -> {
                Decision escalation = value.caseFile().getDecision();
                String tier = escalation.getTier() == null ? "none" : escalation.getTier();
                tiers.computeIfAbsent(tier, t -> new TierBacklog()).add(escalation, now);
            });
        } catch (InvalidStateStoreException e) {
            log.debug("escalation gauges left out of this scrape: {}", e.getMessage());
            return MetricSnapshots.of(timeout.snapshot());
        }
        Gauges count = new Gauges("mediator_escalations_open", "Escalations waiting for a human, by tier");
        Gauges age = new Gauges("mediator_escalation_oldest_age_seconds", "How long the oldest open escalation of the tier has waited");
        Gauges used = new Gauges("mediator_escalation_time_used_ratio",
                "The most of its own time to be answered (decision to deadline) an open escalation of the tier has used");
        tiers.forEach((tier, backlog) -> {
            count.add(backlog.open, "tier", tier);
            age.add(backlog.oldest.toMillis() / 1000.0, "tier", tier);
            used.add(backlog.mostUsed, "tier", tier);
        });
        return MetricSnapshots.of(count.snapshot(), age.snapshot(), used.snapshot(), timeout.snapshot());
    }

    /** The open escalations of one tier, as the gauges report them. */
    private static final class TierBacklog {

        private long open;
        private Duration oldest = Duration.ZERO;
        private double mostUsed;

        void add(Decision escalation, Instant now) {
            // Decision time is the agent's record timestamp; a clock ahead of ours must not give a negative age.
            Duration waited = escalation.getDecidedAt().isAfter(now) ? Duration.ZERO : Duration.between(escalation.getDecidedAt(), now);
            open++;
            oldest = waited.compareTo(oldest) > 0 ? waited : oldest;
            mostUsed = Math.max(mostUsed, used(waited, escalation));
        }

        /**
         * The share of its time it has waited: the deadline is the intent's expiresAt or a claim's until when that comes
         * first, and the timeout in force when it opened, so the policy's timeout now cannot tell. Past 1 while the read
         * horizon holds its expiry back.
         */
        private static double used(Duration waited, Decision escalation) {
            if (escalation.getDeadline() == null) {
                return 0.0;
            }
            Duration time = Duration.between(escalation.getDecidedAt(), escalation.getDeadline());
            // An intent that expired as it was escalated had no time at all: all of it is used.
            return time.isZero() || time.isNegative() ? 1.0 : (double) waited.toMillis() / time.toMillis();
        }
    }
}
