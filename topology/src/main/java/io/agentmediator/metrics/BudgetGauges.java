package io.agentmediator.metrics;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.gate.CurrentPolicy;
import io.agentmediator.gate.GateStores;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.query.LocalStores;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget gauges computed at scrape time from the {@link GateStores#BUDGET_LEDGERS} partitions this
 * instance is active for, so the sum over instances counts each agent once: spent, reserved and limit
 * in micro-units, utilisation and the policy's {@code warnAt}, per agent and window, for the windows
 * the wall clock is in now. Agents get their own label: they are named in the policy, which operators
 * write, so their number is bounded there (entries of agents the policy no longer has are skipped).
 * While stores migrate in a rebalance there is nothing to read and the gauges are absent from that scrape.
 */
public final class BudgetGauges implements MultiCollector {

    private static final Logger log = LoggerFactory.getLogger(BudgetGauges.class);

    private final LocalStores stores;
    private final CurrentPolicy policy;
    private final Clock clock;

    public BudgetGauges(LocalStores stores, CurrentPolicy policy, Clock clock) {
        this.stores = stores;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect() {
        Gauges spent = new Gauges("mediator_budget_spent_micros", "Settled spending in the current window, micro-units");
        Gauges reserved = new Gauges("mediator_budget_reserved_micros", "Reserved by open intents in the current window, micro-units");
        Gauges limit = new Gauges("mediator_budget_limit_micros", "The policy's limit of the window, micro-units");
        Gauges utilisation = new Gauges("mediator_budget_utilisation_ratio", "(spent + reserved) / limit in the current window");
        Gauges warnAt = new Gauges("mediator_budget_warn_ratio", "The policy's warnAt of the window: utilisation that raises a warning");
        Policy inForce = policy.get();
        Instant now = clock.instant();
        try (KeyValueIterator<String, BudgetLedger> ledgers = stores.<BudgetLedger>all(GateStores.BUDGET_LEDGERS).all()) {
            while (ledgers.hasNext()) {
                KeyValue<String, BudgetLedger> entry = ledgers.next();
                Optional<AgentProfile> agent = inForce.agent(entry.key);
                if (agent.isEmpty()) {
                    continue;
                }
                List<WindowUsage> windows = entry.value.usage(now, agent.get().budgets(), inForce.defaults().zone());
                for (WindowUsage usage : windows) {
                    String[] labels = {"agent", entry.key, "window", usage.window().window().name()};
                    spent.add(usage.spentMicros(), labels);
                    reserved.add(usage.reservedMicros(), labels);
                    limit.add(usage.limitMicros(), labels);
                    utilisation.add(usage.utilisation(), labels);
                    if (usage.warnAt() != null) {
                        warnAt.add(usage.warnAt(), labels);
                    }
                }
            }
        } catch (InvalidStateStoreException e) {
            log.debug("budget gauges left out of this scrape: {}", e.getMessage());
            return MetricSnapshots.of();
        }
        return MetricSnapshots.of(spent.snapshot(), reserved.snapshot(), limit.snapshot(), utilisation.snapshot(), warnAt.snapshot());
    }
}
