package io.agentmediator.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scoped store keys: distinct whatever the ids hold, and prune keys in the order they fall due. */
class StoreKeysTest {

    @Test
    void shouldKeepScopesApartWhateverCharactersTheIdsHold() {
        assertThat(StoreKeys.scoped("a", "b|c")).isNotEqualTo(StoreKeys.scoped("a|b", "c"));
        assertThat(StoreKeys.scoped("9:x|", "DAY:2026-11-21")).isNotEqualTo(StoreKeys.scoped("9", "x||DAY:2026-11-21"));
    }

    @Test
    void shouldGiveBackTheScopeAndTheWindowOfABalanceKey() {
        String key = StoreKeys.scoped("team:a|b:1", "MONTH:2026-11");

        assertThat(StoreKeys.scopeOf(key)).isEqualTo("team:a|b:1");
        assertThat(StoreKeys.afterScope(key)).isEqualTo("MONTH:2026-11");
    }

    @Test
    void shouldSortPruneKeysByWhenTheyFallDueAndBoundTheDueOnes() {
        String early = StoreKeys.prune(Instant.parse("2026-11-21T00:00:00Z"), StoreKeys.scoped("z", "DAY:2026-11-19"));
        String late = StoreKeys.prune(Instant.parse("2026-11-22T00:00:00Z"), StoreKeys.scoped("a", "DAY:2026-11-20"));

        assertThat(early).isLessThan(late);
        assertThat(early.compareTo(StoreKeys.lastPruneKeyDueBy(Instant.parse("2026-11-21T00:00:00Z")))).isNegative();
        assertThat(late.compareTo(StoreKeys.lastPruneKeyDueBy(Instant.parse("2026-11-21T23:59:59Z")))).isPositive();
        assertThat(StoreKeys.firstPruneKey().compareTo(early)).isNegative();
        assertThat(StoreKeys.keyOfPrune(late)).isEqualTo(StoreKeys.scoped("a", "DAY:2026-11-20"));
    }

    @Test
    void shouldFileADueTimePast2286AtTheLastTimeItsDigitsHoldAndGiveBackItsKey() {
        String key = StoreKeys.scoped("agent", "i-1");
        String lastTime = StoreKeys.prune(Instant.ofEpochMilli(9_999_999_999_999L), key);

        for (Instant later : List.of(Instant.parse("2300-01-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z"), Instant.MAX)) {
            String prune = StoreKeys.prune(later, key);

            assertThat(prune).isEqualTo(lastTime);
            assertThat(StoreKeys.keyOfPrune(prune)).isEqualTo(key);
            assertThat(prune.compareTo(StoreKeys.lastPruneKeyDueBy(Instant.parse("2286-11-20T17:46:39Z")))).isPositive();
        }
        assertThat(StoreKeys.prune(Instant.MIN, key)).isEqualTo(StoreKeys.prune(Instant.EPOCH, key));
    }
}
