package io.agentmediator.metrics;

import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.Policy;
import io.agentmediator.query.LocalStores;
import io.agentmediator.schema.AuditRecord;
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
 * instance is active for: how many are open per tier (summed over instances: exact) and how long the
 * oldest of each tier has waited (max over instances), with the policy's escalation timeout so alerts
 * can compare the two. Every tier of the policy is reported, with 0 when none is open.
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
        Map<String, Long> open = new LinkedHashMap<>();
        Map<String, Duration> oldest = new LinkedHashMap<>();
        for (String tier : inForce.tiers()) {
            open.put(tier, 0L);
            oldest.put(tier, Duration.ZERO);
        }
        Gauges timeout = new Gauges("mediator_escalation_timeout_seconds",
                "The policy's escalationTimeout: an escalation unanswered this long is rejected");
        timeout.add(inForce.defaults().escalationTimeout().toMillis() / 1000.0);
        try (KeyValueIterator<String, AuditRecord> all = stores.<AuditRecord>all(GateStores.OPEN_ESCALATIONS).all()) {
            while (all.hasNext()) {
                Decision escalation = all.next().value.getDecision();
                String tier = escalation.getTier() == null ? "none" : escalation.getTier();
                // Decision time is the agent's record timestamp; a clock ahead of ours must not give a negative age.
                Duration age = escalation.getDecidedAt().isAfter(now) ? Duration.ZERO : Duration.between(escalation.getDecidedAt(), now);
                open.merge(tier, 1L, Long::sum);
                oldest.merge(tier, age, (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        } catch (InvalidStateStoreException e) {
            log.debug("escalation gauges left out of this scrape: {}", e.getMessage());
            return MetricSnapshots.of(timeout.snapshot());
        }
        Gauges count = new Gauges("mediator_escalations_open", "Escalations waiting for a human, by tier");
        Gauges age = new Gauges("mediator_escalation_oldest_age_seconds", "How long the oldest open escalation of the tier has waited");
        open.forEach((tier, n) -> count.add(n, "tier", tier));
        oldest.forEach((tier, waited) -> age.add(waited.toMillis() / 1000.0, "tier", tier));
        return MetricSnapshots.of(count.snapshot(), age.snapshot(), timeout.snapshot());
    }
}
