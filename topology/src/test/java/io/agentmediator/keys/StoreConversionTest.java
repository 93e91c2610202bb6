package io.agentmediator.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** An older version's store emptied into the newer layout, on touch and a batch at a time. */
class StoreConversionTest {

    private final KeyValueStore<String, Integer> old = open();
    private final Map<String, Integer> converted = new LinkedHashMap<>();

    @Test
    void shouldConvertAKeyOnTouchAndTheRestInBatchesUntilAPassFindsNoneLeft() {
        old.put("a", 1);
        old.put("b", 2);
        old.put("c", 3);
        StoreConversion<Integer> conversion = new StoreConversion<>(old, converted::put);

        conversion.touch("b");
        assertThat(conversion.convertSome(1)).isTrue();
        assertThat(conversion.convertSome(1)).as("the last one converted; the next pass looks").isTrue();
        assertThat(conversion.convertSome(1)).isFalse();

        assertThat(converted).containsExactly(Map.entry("b", 2), Map.entry("a", 1), Map.entry("c", 3));
        assertThat(old.approximateNumEntries()).isZero();
    }

    @Test
    void shouldStillConvertOnTouchWhatTheLastBatchConvertedWhenItsWritesWereUndone() {
        // Given one old value, converted by a housekeeping pass whose unit then failed on other work: the unit's writes are
        // undone, the old value back and the new one gone
        old.put("room:1", 7);
        StoreConversion<Integer> conversion = new StoreConversion<>(old, converted::put);
        conversion.convertSome(10);
        old.put("room:1", 7);
        converted.clear();

        // When the key is touched before the next pass
        conversion.touch("room:1");

        // Then it is converted then, not read without what the old store holds of it
        assertThat(converted).containsExactly(Map.entry("room:1", 7));
        assertThat(old.get("room:1")).isNull();
    }

    private static KeyValueStore<String, Integer> open() {
        KeyValueStore<String, Integer> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("old"), Serdes.String(),
                Serdes.Integer()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
