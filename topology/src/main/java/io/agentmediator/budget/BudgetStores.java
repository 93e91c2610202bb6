package io.agentmediator.budget;

import io.agentmediator.storage.StateStores;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The stores of one kind of budget scope (agents in the agent gate, pools in the resource ledger):
 * {@code <kind>-balances} by {@code scope|window}, {@code <kind>-reservations} by {@code scope|intent},
 * {@code <kind>-prune-index} by the time a window may be forgotten, and the v1 ledgers under their old
 * name, kept only so that state written before the split is converted and not lost.
 *
 * @param legacy the store name v1 ledgers of this kind were kept under
 */
public record BudgetStores(String kind, String legacy) {

    public static final BudgetStores AGENTS = new BudgetStores("budget", "budget-ledgers");
    public static final BudgetStores POOLS = new BudgetStores("pool", "pool-ledgers");

    public String balances() {
        return kind + "-balances";
    }

    public String reservations() {
        return kind + "-reservations";
    }

    public String pruneIndex() {
        return kind + "-prune-index";
    }

    public List<String> names() {
        return List.of(balances(), reservations(), pruneIndex(), legacy);
    }

    public List<StoreBuilder<?>> builders() {
        // A balance per (scope, window) and a record per open reservation: bounded, never history.
        return List.of(
                StateStores.rewritten(balances(), BudgetSerdes.balances()),
                StateStores.inFlight(reservations(), BudgetSerdes.reservations()),
                StateStores.inFlight(pruneIndex(), Serdes.ByteArray()),
                StateStores.inFlight(legacy, new LegacyLedgerSerde()));
    }

    /** The book over these stores, for the processor they are connected to. */
    public StoreBudgetBook open(ProcessingContext context) {
        return new StoreBudgetBook(context.getStateStore(balances()), context.getStateStore(reservations()),
                context.getStateStore(pruneIndex()), context.getStateStore(legacy));
    }
}
