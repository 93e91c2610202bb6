package io.agentmediator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.internal.Hold;
import io.agentmediator.testing.RandomCases;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capacity arithmetic of one resource. */
class ResourceBookTest {

    private static final Instant T = Instant.parse("2026-11-24T00:00:00Z");

    @Test
    void shouldNotCountWindowsThatOnlyTouch() {
        ResourceBook book = book(hold("a", 1, 0, 10L), hold("b", 1, 20, 30L));

        assertThat(book.peak(at(10), at(20))).isZero();
        assertThat(book.overlapping(at(10), at(20))).isEmpty();
        assertThat(book.peak(at(9), at(21))).isEqualTo(1);
    }

    @Test
    void shouldCountAHoldWithoutAnEndAsHeldForever() {
        ResourceBook book = book(hold("a", 2, 5, null));

        assertThat(book.peak(at(1_000_000), null)).isEqualTo(2);
        assertThat(book.peak(at(0), at(5))).isZero();
        assertThat(book.wouldExceed(at(0), null, 1, 2)).isTrue();
    }

    @Test
    void shouldIgnoreAHoldWhoseWindowIsEmpty() {
        ResourceBook book = book(hold("a", 1, 10, 5L));

        assertThat(book.peak(at(0), at(20))).isZero();
        assertThat(book.overlapping(at(0), at(20))).isEmpty();
    }

    @Test
    void shouldEndAHoldWithItsWindowWhateverItsIntentsExpiryAnEarlierVersionKeptInIt() {
        Hold ended = hold("ended", 1, 0, 10L);
        Hold expiring = Hold.newBuilder(hold("expired", 1, 0, 100L)).setExpiresAt(at(20)).build();
        Hold open = hold("open", 1, 0, null);
        Hold openExpiring = Hold.newBuilder(open).setExpiresAt(at(30)).build();

        assertThat(ResourceBook.overAt(ended)).hasValue(at(10));
        assertThat(ResourceBook.overAt(expiring)).hasValue(at(100));
        assertThat(ResourceBook.overAt(open)).isEmpty();
        assertThat(ResourceBook.overAt(openExpiring)).isEmpty();
        assertThat(ResourceBook.over(ended, at(10))).isTrue();
        assertThat(ResourceBook.over(ended, at(9))).isFalse();
        assertThat(ResourceBook.over(open, at(1_000_000))).isFalse();
    }

    @Test
    void shouldAgreeWithCountingEveryInstantOfTheWindow() {
        RandomCases.forAll(2_000, draw -> {
            List<Hold> holds = draw.listOf(0, 6, () -> {
                long from = draw.longBetween(0, 30);
                Long until = draw.intBetween(0, 5) == 0 ? null : from + draw.longBetween(0, 12);
                return hold("h", draw.longBetween(1, 3), from, until);
            });
            long from = draw.longBetween(0, 30);
            Long until = draw.intBetween(0, 5) == 0 ? null : from + draw.longBetween(1, 12);
            return new Case(holds, from, until);
        }, drawn -> {
            ResourceBook book = book(drawn.holds().toArray(Hold[]::new));
            long last = drawn.until() == null ? 60 : drawn.until();
            long brute = 0;
            for (long t = drawn.from(); t < last; t++) {
                long held = 0;
                for (Hold hold : drawn.holds()) {
                    long start = hold.getFrom().toEpochMilli() - T.toEpochMilli();
                    long end = hold.getUntil() == null ? Long.MAX_VALUE : hold.getUntil().toEpochMilli() - T.toEpochMilli();
                    if (start <= t && t < end) {
                        held += hold.getQuantity();
                    }
                }
                brute = Math.max(brute, held);
            }
            assertThat(book.peak(at(drawn.from()), drawn.until() == null ? null : at(drawn.until()))).isEqualTo(brute);
        });
    }

    private record Case(List<Hold> holds, long from, Long until) {}

    private static ResourceBook book(Hold... holds) {
        return ResourceBook.of(List.of(holds));
    }

    private static Hold hold(String intentId, long quantity, long from, Long until) {
        return new Hold(intentId, "agent", quantity, at(from), until == null ? null : at(until), null, false, null);
    }

    private static Instant at(long millis) {
        return T.plusMillis(millis);
    }
}
