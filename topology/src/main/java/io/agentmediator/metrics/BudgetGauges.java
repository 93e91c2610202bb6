package io.agentmediator.metrics;

import io.agentmediator.keys.StoreKeys;
import io.agentmediator.budget.CalendarWindow;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.budget.WindowCalendar;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.partition.GateStores;
import io.agentmediator.ledger.LedgerStores;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.BudgetPool;
import io.agentmediator.policy.BudgetWindow;
import io.agentmediator.policy.Policy;
import io.agentmediator.query.LocalStores;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget gauges computed at scrape time from the {@link GateStores#BUDGETS} balance partitions this
 * instance is active for, so the sum over instances counts each agent once: spent, reserved and limit
 * in micro-units, utilisation and the policy's {@code warnAt}, per agent and window, for the windows
 * the wall clock is in now; and the same for shared pools from {@link LedgerStores#POOLS}
 * ({@code mediator_pool_budget_*}, labelled {@code pool}). Agents get their own label: they are named in the policy, which operators
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
        Policy inForce = policy.get();
        Instant now = clock.instant();
        try {
            Family agents = new Family("mediator_budget", "agent");
            ZoneId zone = inForce.defaults().zone();
            collect(GateStores.BUDGETS.balances(), id -> inForce.agent(id).map(AgentProfile::budgets), zone, agents, now);
            Family pools = new Family("mediator_pool_budget", "pool");
            collect(LedgerStores.POOLS.balances(), id -> Optional.ofNullable(inForce.pools().get(id)).map(BudgetPool::budgets), zone,
                    pools, now);
            List<MetricSnapshot> snapshots = new ArrayList<>(agents.snapshots());
            snapshots.addAll(pools.snapshots());
            return new MetricSnapshots(snapshots);
        } catch (InvalidStateStoreException e) {
            log.debug("budget gauges left out of this scrape: {}", e.getMessage());
            return MetricSnapshots.of();
        }
    }

    /**
     * Every balance of a store in the window {@code now} is in, in the policy's zone, whose owner the policy still names
     * with a budget of that kind of window. A window nothing was charged to yet has no balance and no gauge.
     */
    private void collect(String store, Function<String, Optional<List<BudgetLimit>>> limitsOf, ZoneId zone, Family family,
                         Instant now) {
        // Current by its key, as the gate finds it, not by the bounds a balance was stored with: those are of the zone it was
        // first charged in, and a DAY, WEEK or MONTH key (a local date) names it still once the policy moves zone.
        Map<BudgetWindow, CalendarWindow> currentWindows = new EnumMap<>(BudgetWindow.class);
        try (KeyValueIterator<String, WindowBalance> balances = stores.<WindowBalance>all(store).all()) {
            while (balances.hasNext()) {
                KeyValue<String, WindowBalance> entry = balances.next();
                WindowBalance balance = entry.value;
                String scope = StoreKeys.scopeOf(entry.key);
                for (BudgetLimit limit : limitsOf.apply(scope).orElse(List.of())) {
                    if (limit.window() != balance.window()) {
                        continue;
                    }
                    CalendarWindow current = currentWindows.computeIfAbsent(limit.window(), window -> WindowCalendar.windowAt(window, zone, now));
                    String key = StoreKeys.afterScope(entry.key);
                    if (current.key().equals(key) || WindowCalendar.formerKey(current, zone).filter(key::equals).isPresent()) {
                        family.add(scope, new WindowUsage(current, limit.limitMicros(), balance.spentMicros(),
                                balance.reservedMicros(), limit.warnAt()));
                    }
                }
            }
        }
    }

    /** The five gauges of one kind of budget owner (agents, pools), labelled by the owner and the window. */
    private static final class Family {

        private final String owner;
        private final Gauges spent;
        private final Gauges reserved;
        private final Gauges limit;
        private final Gauges utilisation;
        private final Gauges warnAt;

        Family(String prefix, String owner) {
            this.owner = owner;
            spent = new Gauges(prefix + "_spent_micros", "Settled spending in the current window, micro-units");
            reserved = new Gauges(prefix + "_reserved_micros", "Reserved by open intents in the current window, micro-units");
            limit = new Gauges(prefix + "_limit_micros", "The policy's limit of the window, micro-units");
            utilisation = new Gauges(prefix + "_utilisation_ratio", "(spent + reserved) / limit in the current window");
            warnAt = new Gauges(prefix + "_warn_ratio", "The policy's warnAt of the window: utilisation that raises a warning");
        }

        void add(String id, WindowUsage usage) {
            String[] labels = {owner, id, "window", usage.window().window().name()};
            spent.add(usage.spentMicros(), labels);
            reserved.add(usage.reservedMicros(), labels);
            limit.add(usage.limitMicros(), labels);
            utilisation.add(usage.utilisation(), labels);
            if (usage.warnAt() != null) {
                warnAt.add(usage.warnAt(), labels);
            }
        }

        List<MetricSnapshot> snapshots() {
            return List.of(spent.snapshot(), reserved.snapshot(), limit.snapshot(), utilisation.snapshot(), warnAt.snapshot());
        }
    }
}
