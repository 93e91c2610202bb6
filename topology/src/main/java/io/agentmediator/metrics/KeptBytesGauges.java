package io.agentmediator.metrics;

import io.agentmediator.partition.GateStores;
import io.agentmediator.partition.KeptBytes;
import io.agentmediator.query.LiveEntries;
import io.agentmediator.query.LocalStores;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the mediator keeps in memory for each agent at scrape time (its open escalations, intents waiting for their
 * dependencies and intents whose claims are out, in bytes as they encode), from the {@link GateStores#KEPT_BYTES_PER_AGENT}
 * partitions this instance is active for, and {@code limits.agent.kept.bytes}, at which the agent's intents that would be
 * kept are rejected {@code RATE_LIMITED}. An agent with nothing kept has no series. A task counts its agents again after it
 * starts, at its first housekeeping run at the latest: until then they are absent.
 */
public final class KeptBytesGauges implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(KeptBytesGauges.class);

    private final LocalStores stores;
    private final long limitBytes;

    public KeptBytesGauges(LocalStores stores, long limitBytes) {
        this.stores = stores;
        this.limitBytes = limitBytes;
    }

    @Override
    public MetricSnapshots collect() {
        Gauges limit = new Gauges("mediator_agent_kept_limit_bytes",
                "limits.agent.kept.bytes: an agent keeping this much has its intents that would escalate, wait or claim rejected RATE_LIMITED");
        limit.add(limitBytes);
        Gauges kept = new Gauges("mediator_agent_kept_bytes",
                "Bytes kept in memory for the agent's open escalations, intents waiting for their dependencies and intents whose claims are out");
        try (KeyValueIterator<String, Long> all = stores.<Long>all(GateStores.KEPT_BYTES_PER_AGENT).all()) {
            LiveEntries.forEach(all, (key, bytes) -> KeptBytes.agentOf(key).ifPresent(agent -> kept.add(bytes, "agent", agent)));
        } catch (InvalidStateStoreException e) {
            log.debug("kept-bytes gauges left out of this scrape: {}", e.getMessage());
            return MetricSnapshots.of(limit.snapshot());
        }
        return MetricSnapshots.of(kept.snapshot(), limit.snapshot());
    }
}
