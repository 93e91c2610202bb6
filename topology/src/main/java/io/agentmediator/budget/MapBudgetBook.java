package io.agentmediator.budget;

import io.agentmediator.keys.StoreKeys;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A budget book in plain maps: for the decider alone (property tests, benchmarks) and for a ledger
 * built with no store behind it. Nothing is ever pruned.
 */
public final class MapBudgetBook implements BudgetBook {

    private final Map<String, WindowBalance> balances = new HashMap<>();
    private final Map<String, Reservation> reservations = new HashMap<>();

    @Override
    public WindowBalance balance(String scope, String windowKey) {
        return balances.get(StoreKeys.scoped(scope, windowKey));
    }

    @Override
    public Reservation reservation(String scope, String intentId) {
        return reservations.get(StoreKeys.scoped(scope, intentId));
    }

    @Override
    public void putBalance(String scope, String windowKey, WindowBalance balance) {
        balances.put(StoreKeys.scoped(scope, windowKey), balance);
    }

    @Override
    public void fileWindow(String scope, String windowKey, Instant forgettableAfter) {
        // Kept in memory for as long as the book lives: nothing here is pruned.
    }

    @Override
    public void putReservation(String scope, Reservation reservation) {
        reservations.put(StoreKeys.scoped(scope, reservation.intentId()), reservation);
    }

    @Override
    public void deleteReservation(String scope, String intentId) {
        reservations.remove(StoreKeys.scoped(scope, intentId));
    }

    /** How many open reservations are held across all scopes. */
    public int openReservations() {
        return reservations.size();
    }

    public void clear() {
        balances.clear();
        reservations.clear();
    }
}
