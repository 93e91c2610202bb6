package io.agentmediator.testing;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.BudgetStores;
import io.agentmediator.budget.StoredBalances;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.policy.BudgetLimit;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** How full a scope's budget windows are, read from a test driver's budget stores the way queries read them. */
public final class StoredBudgets {

    private StoredBudgets() {}

    public static List<WindowUsage> usage(TopologyTestDriver driver, BudgetStores stores, String scope, Instant at,
                                          List<BudgetLimit> limits, ZoneId zone) {
        KeyValueStore<String, WindowBalance> balances = driver.getKeyValueStore(stores.balances());
        return BudgetLedger.usage(new StoredBalances(balances::get), scope, at, limits, zone);
    }

    /** The same from balances read back some other way, for example from a changelog topic. */
    public static List<WindowUsage> usage(Map<String, WindowBalance> balancesByKey, String scope, Instant at,
                                          List<BudgetLimit> limits, ZoneId zone) {
        return BudgetLedger.usage(new StoredBalances(balancesByKey::get), scope, at, limits, zone);
    }
}
