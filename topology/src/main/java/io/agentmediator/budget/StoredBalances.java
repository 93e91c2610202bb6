package io.agentmediator.budget;

import io.agentmediator.keys.StoreKeys;
import java.util.function.Function;

/**
 * Balances as a read-only store holds them, by their store key (an interactive query's store, or a
 * changelog read back): enough to say how full each window is.
 */
public final class StoredBalances implements BudgetReader {

    private final Function<String, WindowBalance> byKey;

    public StoredBalances(Function<String, WindowBalance> byKey) {
        this.byKey = byKey;
    }

    @Override
    public WindowBalance balance(String scope, String windowKey) {
        return byKey.apply(StoreKeys.scoped(scope, windowKey));
    }

    /** Queries show windows, not reservations: there is nothing to read here. */
    @Override
    public Reservation reservation(String scope, String intentId) {
        return null;
    }
}
