package io.agentmediator.budget;

import io.agentmediator.guard.EntryGuard;
import io.agentmediator.text.Printable;
import io.agentmediator.keys.PruneIndex;
import io.agentmediator.keys.StoreConversion;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.keys.Swept;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The budget book of one processor, over its {@link BudgetStores}. A window balance is filed in the
 * prune index when first charged, so housekeeping reads only the windows that are due, and forgets
 * one only when no open reservation still counts in it. A scope still held in the v1 store is
 * converted the first time it is touched, and housekeeping converts the rest a few at a time.
 */
public final class StoreBudgetBook implements BudgetBook {

    private final KeyValueStore<String, WindowBalance> balances;
    private final KeyValueStore<String, Reservation> reservations;
    private final PruneIndex pruneIndex;
    private final StoreConversion<LegacyLedger> v1;

    StoreBudgetBook(KeyValueStore<String, WindowBalance> balances, KeyValueStore<String, Reservation> reservations,
                    KeyValueStore<String, byte[]> pruneIndex, KeyValueStore<String, LegacyLedger> legacy) {
        this.balances = balances;
        this.reservations = reservations;
        this.pruneIndex = new PruneIndex(pruneIndex);
        this.v1 = new StoreConversion<>(legacy, this::moveIn);
    }

    @Override
    public WindowBalance balance(String scope, String windowKey) {
        v1.touch(scope);
        return balances.get(StoreKeys.scoped(scope, windowKey));
    }

    @Override
    public Reservation reservation(String scope, String intentId) {
        v1.touch(scope);
        Reservation stored = reservations.get(StoreKeys.scoped(scope, intentId));
        return stored == null ? null : new Reservation(intentId, stored.estimateMicros(), stored.windowKeys(), stored.owner());
    }

    @Override
    public void putBalance(String scope, String windowKey, WindowBalance balance) {
        balances.put(StoreKeys.scoped(scope, windowKey), balance);
    }

    @Override
    public void fileWindow(String scope, String windowKey, Instant forgettableAfter) {
        pruneIndex.file(StoreKeys.scoped(scope, windowKey), forgettableAfter);
    }

    @Override
    public void putReservation(String scope, Reservation reservation) {
        reservations.put(StoreKeys.scoped(scope, reservation.intentId()), reservation);
    }

    @Override
    public void deleteReservation(String scope, String intentId) {
        reservations.delete(StoreKeys.scoped(scope, intentId));
    }

    /**
     * Forgets up to {@code max} windows that are due at {@code now} and hold no open reservation, and
     * converts up to {@code max} v1 ledgers. A due window still reserved is filed again, to be looked at
     * once its own length has passed; one that fails is skipped by {@code guard}. Says how many windows
     * were forgotten, and whether more may be due or left to convert.
     */
    public Swept sweep(Instant now, int max, EntryGuard guard) {
        int[] forgotten = {0};
        List<String> due = pruneIndex.takeDue(now, max);
        for (String balanceKey : due) {
            guard.attempt("the budget window " + Printable.escape(balanceKey), () -> {
                WindowBalance balance = balances.get(balanceKey);
                if (balance == null || balance.reservedMicros() == 0) {
                    balances.delete(balanceKey);
                    forgotten[0]++;
                } else {
                    // Filed again at its own due time, already past, it would be among the earliest due at every
                    // sweep: a batch of windows whose reservations stay open (escalations, executions nobody
                    // reports, for case.retention) would be read at each one, and no window behind them forgotten.
                    pruneIndex.file(balanceKey, now.plus(balance.length()));
                }
            });
        }
        boolean unconverted = v1.convertSome(max);
        return new Swept(forgotten[0], due.size() >= max || unconverted);
    }

    /**
     * Moves a v1 ledger of the scope into the balances and open reservations. A window this version counts already is
     * added to, not replaced: its v1 value was converted and deleted before, so the v1 ledger now here was written by a
     * pod of that version that held the partition since (side by side in a rolling update, or a rollback) and counted
     * from nothing, apart from what this version had counted.
     */
    private void moveIn(String scope, LegacyLedger old) {
        for (Map.Entry<String, WindowBalance> window : old.windows().entrySet()) {
            WindowBalance counted = balances.get(StoreKeys.scoped(scope, window.getKey()));
            putBalance(scope, window.getKey(), counted == null ? window.getValue() : counted.plus(window.getValue()));
            fileWindow(scope, window.getKey(), window.getValue().forgettableAfter());
        }
        for (Reservation open : old.openReservations()) {
            putReservation(scope, open);
        }
    }
}
