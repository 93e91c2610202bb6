package io.agentmediator.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Going round a store a bounded pass at a time, as the checks that decide what fell due read it. */
class StoreSweepTest {

    private final KeyValueStore<String, Integer> store = open();
    private final StoreSweep<Integer> sweep = new StoreSweep<>(store);

    @Test
    void shouldGoOnFromWhereThePassBeforeStoppedSoEntriesLeftInPlaceCannotFillEveryPass() {
        // Given 25 entries, every one picked, and none taken away after (as when deciding each fails and is skipped)
        IntStream.range(0, 25).forEach(n -> store.put(key(n), n));

        // When passes of 10 go round
        Picked<Integer> first = sweep.next((key, value) -> true, 10);
        Picked<Integer> second = sweep.next((key, value) -> true, 10);
        Picked<Integer> third = sweep.next((key, value) -> true, 10);
        Picked<Integer> nextRound = sweep.next((key, value) -> true, 10);

        // Then each pass reads on, the last of the round says it reached the end, and the next round begins again
        assertThat(values(first)).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
        assertThat(first.stoppedShort()).isTrue();
        assertThat(values(second)).containsExactlyElementsOf(IntStream.range(10, 20).boxed().toList());
        assertThat(values(third)).containsExactlyElementsOf(IntStream.range(20, 25).boxed().toList());
        assertThat(third.stoppedShort()).isFalse();
        assertThat(values(nextRound)).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
    }

    @Test
    void shouldPickOnlyWhatIsWantedAndGoOnAfterTheLastPickedThoughTheEntriesBeforeItWereTaken() {
        // Given even entries wanted
        IntStream.range(0, 25).forEach(n -> store.put(key(n), n));

        // When a pass picks five, they are taken away, and one more entry lands before where it stopped
        Picked<Integer> first = sweep.next((key, value) -> value % 2 == 0, 5);
        first.entries().forEach(entry -> store.delete(entry.key));
        store.put(key(1) + "b", 100);
        Picked<Integer> second = sweep.next((key, value) -> value % 2 == 0, 5);

        // Then the second pass starts after the last one picked, and the entry behind it waits for the next round
        assertThat(values(first)).containsExactly(0, 2, 4, 6, 8);
        assertThat(values(second)).containsExactly(10, 12, 14, 16, 18);
        assertThat(second.stoppedShort()).isTrue();
        assertThat(values(sweep.next((key, value) -> value % 2 == 0, 5))).containsExactly(20, 22, 24);
        assertThat(values(sweep.next((key, value) -> value % 2 == 0, 5))).containsExactly(100, 10, 12, 14, 16);
    }

    @Test
    void shouldStartTheRoundAgainWhenAskedWhereverTheSweepWas() {
        IntStream.range(0, 25).forEach(n -> store.put(key(n), n));
        sweep.next((key, value) -> true, 10);

        sweep.restart();

        assertThat(values(sweep.next((key, value) -> true, 10))).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
    }

    @Test
    void shouldSayAPassThatFillsItsBoundAtTheLastEntryReachedTheEnd() {
        IntStream.range(0, 10).forEach(n -> store.put(key(n), n));

        assertThat(sweep.next((key, value) -> true, 10).stoppedShort()).isFalse();
        assertThat(sweep.next((key, value) -> true, 10).entries()).hasSize(10);
    }

    private static String key(int n) {
        return "i-%03d".formatted(n);
    }

    private static List<Integer> values(Picked<Integer> pass) {
        return pass.entries().stream().map(entry -> entry.value).toList();
    }

    private static KeyValueStore<String, Integer> open() {
        KeyValueStore<String, Integer> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("sweep"), Serdes.String(),
                Serdes.Integer()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
