package io.agentmediator.ledger;

import io.agentmediator.guard.EntryGuard;
import io.agentmediator.keys.Swept;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.internal.Hold;
import io.agentmediator.schema.internal.ResourceHolds;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** One record per (resource, intent): small values on a busy resource, housekeeping by time, v1 values converted. */
class ResourceHoldStoreTest {

    private static final Instant T = Instant.parse("2026-11-23T09:00:00Z");

    private final Serde<ResourceHolds> serde = new Topics("agent.", new InMemorySchemaRegistry("holds-test")).storeSerde(LedgerStores.RESOURCE_HOLDS, ResourceHolds.class);
    private final KeyValueStore<String, ResourceHolds> holds = open("holds", serde);
    private final KeyValueStore<String, byte[]> index = open("index", Serdes.ByteArray());
    private final KeyValueStore<String, ResourceHolds> legacy = open("legacy", serde);

    @Test
    void shouldKeepEveryValueSmallOnAResourceWithTenThousandHolds() {
        // Given a room booked hour after hour by ten thousand intents
        ResourceHoldStore store = new ResourceHoldStore(holds, index, legacy);
        for (int i = 0; i < 10_000; i++) {
            store.hold("room:1", hold("i-" + i, T.plus(Duration.ofHours(i)), T.plus(Duration.ofHours(i + 1)), null));
        }

        // Then the book still sees every hold, and no stored value holds more than one intent's
        assertThat(store.book("room:1").holds()).hasSize(10_000);
        assertThat(store.book("room:1").peak(T, T.plus(Duration.ofHours(10_000)))).isEqualTo(1);
        try (KeyValueIterator<String, ResourceHolds> all = holds.all()) {
            all.forEachRemaining(entry -> assertThat(serde.serializer().serialize("t", entry.value).length).isLessThan(100));
        }
        assertThat(store.book("room:10").holds()).as("another resource sharing a prefix of the name").isEmpty();
    }

    @Test
    void shouldDropHoldsAsTheyEndVisitingOnlyWhatIsDue() {
        // Given one hold ending at ten, two ending at noon (one with an expiry at half past nine an earlier version kept), one
        // open-ended
        ResourceHoldStore store = new ResourceHoldStore(holds, index, legacy);
        store.hold("room:1", hold("ends", T, T.plus(Duration.ofHours(1)), null));
        store.hold("room:1", hold("expires", T, T.plus(Duration.ofHours(3)), T.plusSeconds(1800)));
        store.hold("room:1", hold("done", T, T.plus(Duration.ofHours(3)), null));
        store.hold("room:1", hold("open", T, null, null));

        // When / Then each goes when its window ends, and only then
        assertThat(store.sweep(T.plusSeconds(1800), 100, EntryGuard.UNGUARDED).changed()).isZero();
        assertThat(store.sweep(T.plus(Duration.ofHours(1)).minusMillis(1), 100, EntryGuard.UNGUARDED).changed()).isZero();
        assertThat(store.sweep(T.plus(Duration.ofHours(1)), 100, EntryGuard.UNGUARDED).changed()).isEqualTo(1);
        assertThat(holders(store)).containsExactly("done", "expires", "open");
        assertThat(store.sweep(T.plus(Duration.ofHours(3)), 100, EntryGuard.UNGUARDED).changed()).isEqualTo(2);
        assertThat(holders(store)).containsExactly("open");
        assertThat(index.approximateNumEntries()).as("an open-ended hold is never due").isZero();
    }

    @Test
    void shouldSayAPassStoppedAtItsBoundOnlyWhenItTookAsManyAsTheBound() {
        // Given 25 holds of one slot, ending together
        ResourceHoldStore store = new ResourceHoldStore(holds, index, legacy);
        for (int i = 0; i < 25; i++) {
            store.hold("seat:" + i, hold("i-" + i, T, T.plusSeconds(60), null));
        }

        // When / Then: passes of 10 stop at their bound twice; the pass that takes the last 5 does not, nor one finding none,
        // or housekeeping would follow up for ever
        Instant over = T.plusSeconds(60);
        assertThat(store.sweep(over, 10, EntryGuard.UNGUARDED)).isEqualTo(new Swept(10, true));
        assertThat(store.sweep(over, 10, EntryGuard.UNGUARDED)).isEqualTo(new Swept(10, true));
        assertThat(store.sweep(over, 10, EntryGuard.UNGUARDED)).isEqualTo(new Swept(5, false));
        assertThat(store.sweep(over, 10, EntryGuard.UNGUARDED)).isEqualTo(new Swept(0, false));
    }

    @Test
    void shouldReleaseOnlyTheIntentsOwnHolds() {
        ResourceHoldStore store = new ResourceHoldStore(holds, index, legacy);
        store.hold("room:1", hold("a", T, T.plusSeconds(60), null));
        store.hold("room:1", hold("a", T.plusSeconds(120), T.plusSeconds(180), null));
        store.hold("room:1", hold("b", T, T.plusSeconds(60), null));

        assertThat(store.release("room:1", "a", "agent", null)).isTrue();
        assertThat(store.release("room:1", "a", "agent", null)).isFalse();
        assertThat(holders(store)).containsExactly("b");
    }

    @Test
    void shouldReleaseOnlyWhatTheNamedClaimTookLeavingAnEarlierIntentUnderTheSameIdAndHoldsOfUnknownClaim() {
        // Given three holds of the agent under one id: an earlier intent's, one an older version took, and the claim's at T+60
        ResourceHoldStore store = new ResourceHoldStore(holds, index, legacy);
        store.hold("room:1", claimed("a", T, T.plusSeconds(30)));
        store.hold("room:1", hold("a", T.plusSeconds(120), T.plusSeconds(180), null));
        store.hold("room:1", claimed("a", T.plusSeconds(60), T.plusSeconds(60)));

        // When the claim at T+60 is released, twice
        assertThat(store.release("room:1", "a", "agent", T.plusSeconds(60))).isTrue();
        assertThat(store.release("room:1", "a", "agent", T.plusSeconds(60))).isFalse();

        // Then the other two stay, until a release naming no claim
        assertThat(store.book("room:1").holds()).extracting(Hold::getFrom).containsExactly(T, T.plusSeconds(120));
        assertThat(store.release("room:1", "a", "agent", null)).isTrue();
        assertThat(holders(store)).isEmpty();
    }

    @Test
    void shouldConvertAV1ValueOnFirstTouchAndTheRestInHousekeeping() {
        // Given two resources as v1 kept them, every hold in one value
        legacy.put("room:1", new ResourceHolds(List.of(hold("a", T, T.plusSeconds(60), null), hold("b", T, T.plusSeconds(60), null))));
        legacy.put("room:2", new ResourceHolds(List.of(hold("c", T, null, null))));
        ResourceHoldStore store = new ResourceHoldStore(holds, index, legacy);

        // When room:1 is touched, then housekeeping runs
        assertThat(holders(store)).containsExactly("a", "b");
        assertThat(legacy.get("room:1")).isNull();
        assertThat(store.sweep(T, 10, EntryGuard.UNGUARDED).stoppedShort()).as("the rest converted; another pass looks").isTrue();
        assertThat(store.sweep(T, 10, EntryGuard.UNGUARDED).stoppedShort()).as("none left to convert").isFalse();

        // Then both are in the new layout, with what they held
        assertThat(legacy.approximateNumEntries()).isZero();
        assertThat(store.book("room:2").holds()).extracting(Hold::getIntentId).containsExactly("c");
        assertThat(store.sweep(T.plusSeconds(60), 10, EntryGuard.UNGUARDED).changed()).isEqualTo(2);
    }

    private static List<String> holders(ResourceHoldStore store) {
        return store.book("room:1").holds().stream().map(Hold::getIntentId).toList();
    }

    private static Hold hold(String intentId, Instant from, Instant until, Instant expiresAt) {
        return new Hold(intentId, "agent", 1L, from, until, expiresAt, false, null);
    }

    @Test
    void shouldReleaseAHoldOfUnknownClaimThatStartsWhenTheNamedClaimWasSent() {
        // Given, taken before claims were recorded, a hold without a window from the claim's time, and an earlier booking's
        ResourceHoldStore store = new ResourceHoldStore(holds, index, legacy);
        store.hold("room:1", hold("a", T.plusSeconds(60), null, null));
        store.hold("room:1", hold("a", T, null, null));

        // When the claim sent at T+60 is withdrawn
        assertThat(store.release("room:1", "a", "agent", T.plusSeconds(60))).isTrue();

        // Then its hold went (nothing else would let go of it), the earlier one stays
        assertThat(store.book("room:1").holds()).extracting(Hold::getFrom).containsExactly(T);
    }

    private static Hold claimed(String intentId, Instant from, Instant claimAt) {
        return new Hold(intentId, "agent", 1L, from, null, null, false, claimAt);
    }

    private static <V> KeyValueStore<String, V> open(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
