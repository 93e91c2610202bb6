package io.agentmediator.budget;

import io.agentmediator.guard.EntryGuard;
import io.agentmediator.keys.Swept;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.BudgetWindow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stores behind the ledger: housekeeping forgets only what is due and unreserved; v1 ledgers are converted. */
class StoreBudgetBookTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final long UNIT = 1_000_000L;
    private static final BudgetLimit DAY_50 = new BudgetLimit(BudgetWindow.DAY, 50 * UNIT, null);
    private static final BudgetLimit MONTH_900 = new BudgetLimit(BudgetWindow.MONTH, 900 * UNIT, null);

    private final InMemoryBudgetStores stores = new InMemoryBudgetStores();
    private final StoreBudgetBook book = stores.book();

    @Test
    void shouldForgetADayOnlyOnceItHasBeenOverForItsOwnLengthAndAsLongAsTwoZonesAreApart() {
        // Given 1.00 spent on the 10th, a day that ends at midnight
        spend("settled", UNIT, Instant.parse("2026-11-10T12:00:00Z"), List.of(DAY_50));
        Instant forgettable = Instant.parse("2026-11-12T00:00:00Z").plus(Duration.ofHours(26));

        // When / Then: still there a full day and 26 hours after it ended, gone from then on
        assertThat(book.sweep(forgettable.minusMillis(1), 100, EntryGuard.UNGUARDED).changed()).isZero();
        assertThat(book.balance("agent", "DAY:2026-11-10")).isNotNull();
        assertThat(book.sweep(forgettable, 100, EntryGuard.UNGUARDED).changed()).isEqualTo(1);
        assertThat(book.balance("agent", "DAY:2026-11-10")).isNull();
        assertThat(stores.pruneIndex.approximateNumEntries()).isZero();
    }

    @Test
    void shouldKeepADayThePolicysNewZoneIsStillInAfterTheZoneMovedAcrossTheDateLine() {
        // Given the whole of 2026-11-21 spent on Kiritimati (UTC+14), whose day ended at 10:00 UTC
        ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati");
        ZoneId pagoPago = ZoneId.of("Pacific/Pago_Pago");
        BudgetLedger spent = new BudgetLedger("agent", book);
        spent.tryReserve("spent", 50 * UNIT, Instant.parse("2026-11-21T09:00:00Z"), List.of(DAY_50), kiritimati);
        spent.commitEstimate("spent");
        spent.commit();

        // When the policy has moved to Pago Pago (UTC-11), where 2026-11-21 lasts until 11:00 UTC the next day, and
        // housekeeping runs half an hour before that
        Instant stillThe21stInPagoPago = Instant.parse("2026-11-22T10:45:00Z");
        book.sweep(Instant.parse("2026-11-22T10:30:00Z"), 100, EntryGuard.UNGUARDED);
        Admission admission = new BudgetLedger("agent", book)
                .tryReserve("more", UNIT, stillThe21stInPagoPago, List.of(DAY_50), pagoPago);

        // Then the day the ledger counts in is the same one, still spent to its limit
        assertThat(WindowCalendar.windowAt(BudgetWindow.DAY, pagoPago, stillThe21stInPagoPago).key()).isEqualTo("DAY:2026-11-21");
        assertThat(admission).isInstanceOf(Admission.Exceeded.class);
    }

    @Test
    void shouldKeepADueWindowWhileAnOpenReservationCountsInItAndForgetItAfter() {
        // Given an intent settled on the 10th and one still open (escalated) on the 11th, both long over
        spend("settled", 5 * UNIT, Instant.parse("2026-11-10T12:00:00Z"), List.of(DAY_50));
        BudgetLedger ledger = new BudgetLedger("agent", book);
        ledger.tryReserve("open", 6 * UNIT, Instant.parse("2026-11-11T12:00:00Z"), List.of(DAY_50), UTC);
        ledger.commit();
        Instant later = Instant.parse("2026-11-21T12:00:00Z");

        // When
        book.sweep(later, 100, EntryGuard.UNGUARDED);

        // Then the 10th is forgotten, the 11th kept, and the open reservation can still be released there
        assertThat(book.balance("agent", "DAY:2026-11-10")).isNull();
        BudgetLedger release = new BudgetLedger("agent", book);
        assertThat(release.release("open")).isEqualTo(Settlement.APPLIED);
        release.commit();
        assertThat(book.balance("agent", "DAY:2026-11-11").reservedMicros()).isZero();

        // And once released, it is forgotten when looked at again, a day (its length) after it was kept
        assertThat(book.sweep(later.plus(Duration.ofDays(1)).minusMillis(1), 100, EntryGuard.UNGUARDED).changed()).isZero();
        assertThat(book.sweep(later.plus(Duration.ofDays(1)), 100, EntryGuard.UNGUARDED).changed()).isEqualTo(1);
        assertThat(stores.balances.approximateNumEntries()).isZero();
        assertThat(stores.reservations.approximateNumEntries()).isZero();
    }

    @Test
    void shouldVisitAtMostTheBatchOfDueWindowsPerSweepAndSayWhenItStoppedAtIt() {
        // Given 30 days, each with something spent
        for (int day = 1; day <= 30; day++) {
            spend("d" + day, UNIT, Instant.parse("2026-09-01T12:00:00Z").plusSeconds(86_400L * (day - 1)), List.of(DAY_50));
        }

        // When / Then: two passes stop at their bound, the third takes the last ten and does not
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        assertThat(book.sweep(now, 10, EntryGuard.UNGUARDED)).isEqualTo(new Swept(10, true));
        assertThat(stores.balances.approximateNumEntries()).isEqualTo(20);
        assertThat(book.sweep(now, 10, EntryGuard.UNGUARDED)).isEqualTo(new Swept(10, true));
        assertThat(book.sweep(now, 11, EntryGuard.UNGUARDED)).isEqualTo(new Swept(10, false));
    }

    @Test
    void shouldKeepOneRecordPerOpenReservationAndNoneOnceSettled() {
        // Given 10,000 intents of one agent in one month, every other one settled
        BudgetLedger ledger = new BudgetLedger("agent", book);
        Instant at = Instant.parse("2026-11-02T00:00:00Z");
        for (int i = 0; i < 10_000; i++) {
            ledger.tryReserve("i-" + i, 1, at.plusSeconds(60L * i), List.of(DAY_50, MONTH_900), UTC);
            if (i % 2 == 0) {
                ledger.commitEstimate("i-" + i);
            }
            ledger.commit();
        }

        // Then five thousand reservation records, a balance per window, and every value small
        assertThat(stores.reservations.approximateNumEntries()).isEqualTo(5_000);
        assertThat(book.balance("agent", "MONTH:2026-11")).extracting(WindowBalance::spentMicros, WindowBalance::reservedMicros)
                .containsExactly(5_000L, 5_000L);
        try (var all = stores.balances.all()) {
            all.forEachRemaining(entry -> assertThat(BudgetSerdes.balances().serializer().serialize("t", entry.value)).hasSize(42));
        }
    }

    @Test
    void shouldConvertAV1LedgerTheFirstTimeItsScopeIsTouched() {
        // Given a v1 ledger with 2.50 spent and 5.00 reserved on the 21st by an open intent
        stores.legacy.put("finance", LegacyLedgerSerde.read(LegacyLedgerSerdeTest.V1.getBytes(StandardCharsets.UTF_8)));
        StoreBudgetBook restarted = stores.book();
        BudgetLedger ledger = new BudgetLedger("finance", restarted);
        Instant at = Instant.parse("2026-11-21T12:00:00Z");

        // When the open intent completes for 4.00 and a new one asks for what is left
        assertThat(ledger.reconcile("intent-1", 4 * UNIT)).isEqualTo(Settlement.APPLIED);
        Admission admission = ledger.tryReserve("next", 43_500_000, at, List.of(DAY_50), ZoneId.of("Europe/Berlin"));
        ledger.commit();

        // Then the day counts both exactly as the old ledger would have, and the v1 value is gone
        assertThat(admission.admitted()).isTrue();
        assertThat(restarted.balance("finance", "DAY:2026-11-21"))
                .extracting(WindowBalance::spentMicros, WindowBalance::reservedMicros).containsExactly(6_500_000L, 43_500_000L);
        assertThat(stores.legacy.get("finance")).isNull();
        assertThat(new BudgetLedger("finance", restarted).tryReserve("one-more", 1, at, List.of(DAY_50), ZoneId.of("Europe/Berlin")))
                .isInstanceOf(Admission.Exceeded.class);
    }

    @Test
    void shouldAddWhatAV1PodCountedSinceTheConversionToWhatThisVersionCounted() {
        // Given a v1 ledger (2.50 spent, 5.00 reserved on the 21st) converted when this version admitted 40.00 more
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Instant at = Instant.parse("2026-11-21T12:00:00Z");
        stores.legacy.put("finance", LegacyLedgerSerde.read(LegacyLedgerSerdeTest.V1.getBytes(StandardCharsets.UTF_8)));
        BudgetLedger upgraded = new BudgetLedger("finance", stores.book());
        assertThat(upgraded.tryReserve("big", 40 * UNIT, at, List.of(DAY_50), berlin).admitted()).isTrue();
        upgraded.commit();
        assertThat(stores.legacy.get("finance")).as("converted: the v1 value is gone").isNull();

        // When a pod of v1 held the partition meanwhile, found no ledger and wrote one of 10.00 spent that day
        WindowBalance v1Day = new WindowBalance(BudgetWindow.DAY, Instant.ofEpochMilli(1795215600000L), Instant.ofEpochMilli(1795302000000L),
                50 * UNIT, 10 * UNIT, 0);
        stores.legacy.put("finance", new LegacyLedger(java.util.Map.of("DAY:2026-11-21", v1Day), List.of()));
        StoreBudgetBook back = stores.book();

        // Then the day counts both: 12.50 spent, 45.00 reserved, and nothing more fits under 50.00
        assertThat(back.balance("finance", "DAY:2026-11-21"))
                .extracting(WindowBalance::spentMicros, WindowBalance::reservedMicros).containsExactly(12_500_000L, 45_000_000L);
        assertThat(new BudgetLedger("finance", back).tryReserve("more", 1, at, List.of(DAY_50), berlin))
                .isInstanceOf(Admission.Exceeded.class);
    }

    @Test
    void shouldConvertV1LedgersNobodyTouchesInHousekeeping() {
        // Given two v1 ledgers
        LegacyLedger old = LegacyLedgerSerde.read(LegacyLedgerSerdeTest.V1.getBytes(StandardCharsets.UTF_8));
        stores.legacy.put("a", old);
        stores.legacy.put("b", old);
        StoreBudgetBook restarted = stores.book();

        // When housekeeping runs, one at a time: the passes that convert one say more may be left, the one after them not
        assertThat(restarted.sweep(Instant.EPOCH, 1, EntryGuard.UNGUARDED).stoppedShort()).isTrue();
        assertThat(restarted.sweep(Instant.EPOCH, 1, EntryGuard.UNGUARDED).stoppedShort()).isTrue();
        assertThat(restarted.sweep(Instant.EPOCH, 1, EntryGuard.UNGUARDED).stoppedShort()).isFalse();

        // Then both are converted, their windows filed for pruning
        assertThat(stores.legacy.approximateNumEntries()).isZero();
        assertThat(restarted.reservation("a", "intent-1")).isEqualTo(new Reservation("intent-1", 5_000_000, List.of("DAY:2026-11-21"), null));
        assertThat(restarted.balance("b", "DAY:2026-11-21").spentMicros()).isEqualTo(2_500_000);
        assertThat(restarted.sweep(Instant.parse("2026-11-24T00:00:00Z"), 10, EntryGuard.UNGUARDED).changed()).as("reserved windows stay").isZero();
        assertThat(stores.pruneIndex.approximateNumEntries()).isEqualTo(2);
    }

    private void spend(String intentId, long cost, Instant at, List<BudgetLimit> limits) {
        BudgetLedger ledger = new BudgetLedger("agent", book);
        ledger.tryReserve(intentId, cost, at, limits, UTC);
        ledger.commitEstimate(intentId);
        ledger.commit();
    }
}
