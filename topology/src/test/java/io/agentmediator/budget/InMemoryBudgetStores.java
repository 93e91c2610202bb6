package io.agentmediator.budget;

import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The budget stores with the production serdes, in memory, for a {@link StoreBudgetBook} outside a topology. */
final class InMemoryBudgetStores {

    final KeyValueStore<String, WindowBalance> balances = open(
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("balances"), Serdes.String(), BudgetSerdes.balances()).withLoggingDisabled().build());
    final KeyValueStore<String, Reservation> reservations = open(
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("reservations"), Serdes.String(), BudgetSerdes.reservations())
                    .withLoggingDisabled().build());
    final KeyValueStore<String, byte[]> pruneIndex = open(
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("prune-index"), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build());
    /** Written as the v1 code wrote it, read with the production serde. */
    final KeyValueStore<String, LegacyLedger> legacy = open(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("legacy"),
            Serdes.String(), Serdes.serdeFrom((topic, ledger) -> ledger == null ? null : v1(ledger),
                    new LegacyLedgerSerde().deserializer())).withLoggingDisabled().build());

    StoreBudgetBook book() {
        return new StoreBudgetBook(balances, reservations, pruneIndex, legacy);
    }

    /** The v1 JSON of a ledger, as the serde before the split wrote it. */
    static byte[] v1(LegacyLedger ledger) {
        StringJoiner windows = new StringJoiner(",", "{", "}");
        ledger.windows().forEach((key, w) -> windows.add("\"" + key + "\":{\"window\":\"" + w.window() + "\",\"start\":"
                + w.start().toEpochMilli() + ",\"end\":" + w.end().toEpochMilli() + ",\"limitMicros\":" + w.limitMicros()
                + ",\"spentMicros\":" + w.spentMicros() + ",\"reservedMicros\":" + w.reservedMicros() + "}"));
        StringJoiner reservations = new StringJoiner(",", "{", "}");
        for (Reservation open : ledger.openReservations()) {
            StringJoiner keys = new StringJoiner(",", "[", "]");
            open.windowKeys().forEach(key -> keys.add("\"" + key + "\""));
            reservations.add("\"" + open.intentId() + "\":{\"estimateMicros\":" + open.estimateMicros() + ",\"windowKeys\":" + keys
                    + ",\"status\":\"OPEN\",\"spentMicros\":0}");
        }
        return ("{\"v\":1,\"windows\":" + windows + ",\"reservations\":" + reservations + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static <S extends KeyValueStore<?, ?>> S open(S store) {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
