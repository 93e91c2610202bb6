package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.BudgetWindow;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reserving, releasing and reconciling against calendar budgets. */
class BudgetLedgerTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final long UNIT = 1_000_000L;
    private static final Instant NOON = Instant.parse("2026-11-21T12:00:00Z");
    private static final BudgetLimit DAY_50 = new BudgetLimit(BudgetWindow.DAY, 50 * UNIT, 0.8);
    private static final BudgetLimit MONTH_900 = new BudgetLimit(BudgetWindow.MONTH, 900 * UNIT, null);
    private static final List<BudgetLimit> LIMITS = List.of(DAY_50, MONTH_900);

    private final MapBudgetBook book = new MapBudgetBook();
    private final BudgetLedger ledger = new BudgetLedger("agent", book);

    @Test
    void shouldAdmitACostThatBringsTheWindowExactlyToItsLimit() {
        // Given 30.00 of a 50.00 day already reserved
        ledger.tryReserve("first", 30 * UNIT, NOON, LIMITS, UTC);

        // When the next intent costs exactly the 20.00 left
        Admission admission = ledger.tryReserve("second", 20 * UNIT, NOON, LIMITS, UTC);

        // Then it is admitted and the day is full
        assertThat(admission).isEqualTo(new Admission.Admitted(List.of("DAY:2026-11-21", "MONTH:2026-11")));
        assertThat(ledger.balance("DAY:2026-11-21").reservedMicros()).isEqualTo(50 * UNIT);
    }

    @Test
    void shouldRefuseOneMicroUnitOverTheLimitAndSayWhere() {
        // Given a day with 10.00 spent and 39.999999 reserved
        ledger.tryReserve("spent", 10 * UNIT, NOON, LIMITS, UTC);
        ledger.commitEstimate("spent");
        ledger.tryReserve("held", 40 * UNIT - 1, NOON, LIMITS, UTC);

        // When an intent asks for 0.000002
        Admission admission = ledger.tryReserve("over", 2, NOON, LIMITS, UTC);

        // Then
        assertThat(admission).isInstanceOfSatisfying(Admission.Exceeded.class, exceeded -> {
            assertThat(exceeded.window().key()).isEqualTo("DAY:2026-11-21");
            assertThat(exceeded.limitMicros()).isEqualTo(50 * UNIT);
            assertThat(exceeded.spentMicros()).isEqualTo(10 * UNIT);
            assertThat(exceeded.reservedMicros()).isEqualTo(40 * UNIT - 1);
            assertThat(exceeded.costMicros()).isEqualTo(2);
            assertThat(exceeded.message()).isEqualTo("DAY budget exceeded in DAY:2026-11-21: spent 10.00"
                    + " + reserved 39.999999 + cost 0.000002 > limit 50.00");
        });
        assertThat(ledger.reservation("over")).isEmpty();
    }

    @Test
    void shouldReserveNothingWhenOneWindowRefusesWhileAnotherAdmits() {
        // Given a 60.00 month of which 40.00 was spent yesterday, and a 50.00 day that is empty today
        List<BudgetLimit> limits = List.of(DAY_50, new BudgetLimit(BudgetWindow.MONTH, 60 * UNIT, null));
        ledger.tryReserve("yesterday", 40 * UNIT, NOON.minusSeconds(86_400), limits, UTC);
        ledger.commitEstimate("yesterday");
        ledger.commit();

        // When today's intent costs 30.00: room in the day, none in the month
        Admission admission = ledger.tryReserve("today", 30 * UNIT, NOON, limits, UTC);

        // Then the month refuses and nothing was reserved anywhere
        assertThat(admission).isInstanceOfSatisfying(Admission.Exceeded.class,
                exceeded -> assertThat(exceeded.window().key()).isEqualTo("MONTH:2026-11"));
        assertThat(ledger.balance("MONTH:2026-11").usedMicros()).isEqualTo(40 * UNIT);
        assertThat(ledger.balance("DAY:2026-11-21")).isNull();
        assertThat(ledger.reservation("today")).isEmpty();
    }

    @Test
    void shouldRefuseASecondReserveForOneIntentWithoutCountingItTwice() {
        // Given
        ledger.tryReserve("once", 5 * UNIT, NOON, LIMITS, UTC);

        // When
        Admission again = ledger.tryReserve("once", 5 * UNIT, NOON, LIMITS, UTC);

        // Then
        assertThat(again).isEqualTo(new Admission.AlreadyReserved("once", null));
        assertThat(ledger.balance("DAY:2026-11-21").reservedMicros()).isEqualTo(5 * UNIT);
    }

    @Test
    void shouldKeepNothingOfAReleasedReservationButItsWindows() {
        // Given
        ledger.tryReserve("once", 5 * UNIT, NOON, LIMITS, UTC);

        // When
        ledger.release("once");
        ledger.commit();

        // Then no record of it is left: a retry within dedupe.retention never gets this far
        assertThat(ledger.reservation("once")).isEmpty();
        assertThat(book.openReservations()).isZero();
        assertThat(ledger.balance("DAY:2026-11-21").usedMicros()).isZero();
    }

    @Test
    void shouldAdmitAZeroCostIntoAFullWindowAndRecordWhereItWasTaken() {
        // Given a day used up to exactly its limit
        ledger.tryReserve("full", 50 * UNIT, NOON, LIMITS, UTC);

        // When
        Admission admission = ledger.tryReserve("free", 0, NOON, LIMITS, UTC);

        // Then 50 + 0 <= 50, and the windows are kept for whatever it is reported to have cost
        assertThat(admission.admitted()).isTrue();
        assertThat(ledger.reservation("free")).hasValueSatisfying(reservation ->
                assertThat(reservation.windowKeys()).containsExactly("DAY:2026-11-21", "MONTH:2026-11"));
    }

    @Test
    void shouldRejectAZeroCostInAWindowAnActualCostTookPastItsLimit() {
        // Given a day already overrun by an actual cost above its estimate
        ledger.tryReserve("overrun", 50 * UNIT, NOON, LIMITS, UTC);
        ledger.reconcile("overrun", 70 * UNIT);

        // When
        Admission admission = ledger.tryReserve("free", 0, NOON, LIMITS, UTC);

        // Then 70 + 0 > 50
        assertThat(admission).isInstanceOfSatisfying(Admission.Exceeded.class,
                exceeded -> assertThat(exceeded.window().key()).isEqualTo("DAY:2026-11-21"));
        assertThat(ledger.reservation("free")).isEmpty();
    }

    @Test
    void shouldAdmitAnythingForAnAgentWithoutBudgets() {
        // Given / When
        Admission admission = ledger.tryReserve("big", Long.MAX_VALUE, NOON, List.of(), UTC);

        // Then
        assertThat(admission).isEqualTo(new Admission.Admitted(List.of()));
        assertThat(ledger.reconcile("big", 3 * UNIT)).isEqualTo(Settlement.APPLIED);
        assertThat(ledger.usage(NOON, List.of(), UTC)).isEmpty();
    }

    @Test
    void shouldRefuseACostSoLargeThatAddingItWouldOverflow() {
        // Given a day with something reserved
        ledger.tryReserve("some", UNIT, NOON, LIMITS, UTC);

        // When / Then
        assertThat(ledger.tryReserve("huge", Long.MAX_VALUE, NOON, LIMITS, UTC))
                .isInstanceOf(Admission.Exceeded.class);
    }

    @Test
    void shouldReleaseInTheOriginalWindowsAfterTheDayRolledOver() {
        // Given 45.00 reserved at 23:30 on the 21st
        Instant lateEvening = Instant.parse("2026-11-21T23:30:00Z");
        ledger.tryReserve("escalated", 45 * UNIT, lateEvening, LIMITS, UTC);

        // When the escalation expires the next day and is released, and a new intent arrives
        Settlement settlement = ledger.release("escalated");
        Admission nextDay = ledger.tryReserve("next", 50 * UNIT, lateEvening.plusSeconds(3_600), LIMITS, UTC);

        // Then the 21st is free again and the 22nd was never touched by the release
        assertThat(settlement).isEqualTo(Settlement.APPLIED);
        assertThat(ledger.balance("DAY:2026-11-21").reservedMicros()).isZero();
        assertThat(nextDay.admitted()).isTrue();
        assertThat(ledger.balance("DAY:2026-11-22").reservedMicros()).isEqualTo(50 * UNIT);
        assertThat(ledger.balance("MONTH:2026-11").reservedMicros()).isEqualTo(50 * UNIT);
        assertThat(ledger.reservation("escalated")).isEmpty();
    }

    @Test
    void shouldReconcileInTheOriginalHourAfterTheHourRolledOver() {
        // Given 4.00 reserved at 13:59 against a 10.00 hour
        List<BudgetLimit> hourly = List.of(new BudgetLimit(BudgetWindow.HOUR, 10 * UNIT, null));
        ledger.tryReserve("call", 4 * UNIT, Instant.parse("2026-11-21T13:59:00Z"), hourly, UTC);
        ledger.tryReserve("later", UNIT, Instant.parse("2026-11-21T14:05:00Z"), hourly, UTC);

        // When the outcome arrives at 14:10 with an actual cost of 3.00
        Settlement settlement = ledger.reconcile("call", 3 * UNIT);

        // Then the 13:00 hour holds it as spent and the 14:00 hour is as it was
        assertThat(settlement).isEqualTo(Settlement.APPLIED);
        assertThat(ledger.balance("HOUR:2026-11-21T13:00+00:00"))
                .extracting(WindowBalance::spentMicros, WindowBalance::reservedMicros)
                .containsExactly(3 * UNIT, 0L);
        assertThat(ledger.balance("HOUR:2026-11-21T14:00+00:00"))
                .extracting(WindowBalance::spentMicros, WindowBalance::reservedMicros)
                .containsExactly(0L, UNIT);
    }

    @Test
    void shouldReconcileBelowTheEstimateAndFreeTheDifference() {
        // Given
        ledger.tryReserve("call", 20 * UNIT, NOON, LIMITS, UTC);

        // When
        ledger.reconcile("call", 12 * UNIT);

        // Then
        WindowBalance day = ledger.balance("DAY:2026-11-21");
        assertThat(day.spentMicros()).isEqualTo(12 * UNIT);
        assertThat(day.reservedMicros()).isZero();
        assertThat(ledger.tryReserve("more", 38 * UNIT, NOON, LIMITS, UTC).admitted()).isTrue();
    }

    @Test
    void shouldRecordAnActualCostAboveTheEstimateAsSpentEvenPastTheLimit() {
        // Given 45.00 reserved of a 50.00 day
        ledger.tryReserve("call", 45 * UNIT, NOON, LIMITS, UTC);

        // When it actually cost 60.00
        Settlement settlement = ledger.reconcile("call", 60 * UNIT);

        // Then the overrun is on record and the day admits no further cost
        assertThat(settlement).isEqualTo(Settlement.APPLIED);
        assertThat(ledger.balance("DAY:2026-11-21").spentMicros()).isEqualTo(60 * UNIT);
        assertThat(ledger.reservation("call")).isEmpty();
        assertThat(ledger.tryReserve("next", 1, NOON, LIMITS, UTC)).isInstanceOf(Admission.Exceeded.class);
    }

    @Test
    void shouldSpendTheEstimateWhenCompletedWithoutAnActualCost() {
        // Given
        ledger.tryReserve("call", 7 * UNIT, NOON, LIMITS, UTC);

        // When
        Settlement settlement = ledger.commitEstimate("call");

        // Then
        assertThat(settlement).isEqualTo(Settlement.APPLIED);
        assertThat(ledger.balance("MONTH:2026-11"))
                .extracting(WindowBalance::spentMicros, WindowBalance::reservedMicros)
                .containsExactly(7 * UNIT, 0L);
    }

    @Test
    void shouldCountAnOutcomeReportedTwiceOnlyOnce() {
        // Given a reservation already reconciled
        ledger.tryReserve("call", 7 * UNIT, NOON, LIMITS, UTC);
        ledger.reconcile("call", 5 * UNIT);

        // When the outcome comes again, and then a compensation
        Settlement again = ledger.reconcile("call", 5 * UNIT);
        Settlement committed = ledger.commitEstimate("call");
        Settlement released = ledger.release("call");

        // Then nothing changes: what was spent stays spent
        assertThat(List.of(again, committed, released)).containsOnly(Settlement.NO_RESERVATION);
        assertThat(ledger.balance("DAY:2026-11-21").spentMicros()).isEqualTo(5 * UNIT);
    }

    @Test
    void shouldAnswerAnOutcomeForAnIntentItNeverReserved() {
        // Given / When / Then
        assertThat(ledger.release("stranger")).isEqualTo(Settlement.NO_RESERVATION);
        assertThat(ledger.reconcile("stranger", UNIT)).isEqualTo(Settlement.NO_RESERVATION);
        assertThat(ledger.commitEstimate("stranger")).isEqualTo(Settlement.NO_RESERVATION);
        ledger.commit();
        assertThat(book.openReservations()).isZero();
    }

    @Test
    void shouldApplyALoweredLimitAtOnce() {
        // Given 30.00 reserved under a 50.00 day
        ledger.tryReserve("held", 30 * UNIT, NOON, LIMITS, UTC);

        // When the policy lowers the day to 20.00
        List<BudgetLimit> lowered = List.of(new BudgetLimit(BudgetWindow.DAY, 20 * UNIT, 0.8));
        Admission admission = ledger.tryReserve("next", 1, NOON, lowered, UTC);
        List<WindowUsage> usage = ledger.usage(NOON, lowered, UTC);

        // Then
        assertThat(admission).isInstanceOfSatisfying(Admission.Exceeded.class,
                exceeded -> assertThat(exceeded.limitMicros()).isEqualTo(20 * UNIT));
        assertThat(usage).singleElement().satisfies(day -> {
            assertThat(day.utilisation()).isEqualTo(1.5);
            assertThat(day.remainingMicros()).isZero();
        });
    }

    @Test
    void shouldReportUtilisationAndTheSoftThreshold() {
        // Given 30.00 spent and 10.00 reserved today (80 % of 50.00), and 39.99 the day before
        ledger.tryReserve("spent", 30 * UNIT, NOON, LIMITS, UTC);
        ledger.commitEstimate("spent");
        ledger.tryReserve("held", 10 * UNIT, NOON, LIMITS, UTC);
        ledger.tryReserve("before", 39_990_000, NOON.minusSeconds(86_400), LIMITS, UTC);

        // When
        List<WindowUsage> today = ledger.usage(NOON, LIMITS, UTC);
        List<WindowUsage> yesterday = ledger.usage(NOON.minusSeconds(86_400), LIMITS, UTC);

        // Then
        WindowUsage day = today.get(0);
        assertThat(day.window().key()).isEqualTo("DAY:2026-11-21");
        assertThat(day.limitMicros()).isEqualTo(50 * UNIT);
        assertThat(day.spentMicros()).isEqualTo(30 * UNIT);
        assertThat(day.reservedMicros()).isEqualTo(10 * UNIT);
        assertThat(day.utilisation()).isEqualTo(0.8);
        assertThat(day.pastWarning()).isTrue();
        assertThat(day.remainingMicros()).isEqualTo(10 * UNIT);
        assertThat(yesterday.get(0).pastWarning()).isFalse();
        WindowUsage month = today.get(1);
        assertThat(month.window().key()).isEqualTo("MONTH:2026-11");
        assertThat(month.reservedMicros()).isEqualTo(10 * UNIT + 39_990_000);
        assertThat(month.pastWarning()).as("no soft threshold set").isFalse();
    }

    @Test
    void shouldReportAWindowNothingWasChargedToAsEmpty() {
        // Given / When
        List<WindowUsage> usage = ledger.usage(NOON, List.of(new BudgetLimit(BudgetWindow.WEEK, 0, 0.5)), UTC);

        // Then
        assertThat(usage).singleElement().satisfies(week -> {
            assertThat(week.window().key()).isEqualTo("WEEK:2026-W47");
            assertThat(week.utilisation()).isZero();
            assertThat(week.pastWarning()).isFalse();
        });
        ledger.commit();
        assertThat(ledger.balance("WEEK:2026-W47")).as("reporting records nothing").isNull();
    }

    @Test
    void shouldRefuseTwoBudgetsForOneWindow() {
        // Given / When / Then
        assertThatThrownBy(() -> ledger.tryReserve("x", 1, NOON, List.of(DAY_50, DAY_50), UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DAY");
    }

    @Test
    void shouldRefuseANegativeCost() {
        // Given / When / Then
        assertThatThrownBy(() -> ledger.tryReserve("x", -1, NOON, LIMITS, UTC))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.reconcile("x", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadAWindowsBalanceOnceADecisionWhateverTheZoneAndOnlyLookForAFormerKeyWhenItHasNone() {
        List<BudgetLimit> hourly = List.of(new BudgetLimit(BudgetWindow.HOUR, 10 * UNIT, null));
        Instant at = Instant.parse("2026-11-23T10:15:00Z");
        for (ZoneId zone : List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"))) {
            CountingBook book = new CountingBook();
            BudgetLedger ledger = new BudgetLedger("a", book);

            ledger.tryReserve("i-1", UNIT, at, hourly, zone);
            ledger.commit();
            int first = book.reads;
            ledger.tryReserve("i-2", UNIT, at.plusSeconds(1), hourly, zone);
            ledger.usage(at.plusSeconds(1), hourly, zone);

            assertThat(first).as("the hour's first intent in %s", zone).isEqualTo(zone.equals(ZoneId.of("UTC")) ? 1 : 2);
            assertThat(book.reads - first).as("the next intent, and its usage from what it changed, in %s", zone).isEqualTo(1);
        }
    }

    /** A book that counts the balances read from it. */
    private static final class CountingBook implements BudgetBook {
        private final MapBudgetBook inner = new MapBudgetBook();
        private int reads;

        @Override
        public WindowBalance balance(String scope, String windowKey) {
            reads++;
            return inner.balance(scope, windowKey);
        }

        @Override
        public Reservation reservation(String scope, String intentId) {
            return inner.reservation(scope, intentId);
        }

        @Override
        public void putBalance(String scope, String windowKey, WindowBalance balance) {
            inner.putBalance(scope, windowKey, balance);
        }

        @Override
        public void fileWindow(String scope, String windowKey, Instant forgettableAfter) {
            inner.fileWindow(scope, windowKey, forgettableAfter);
        }

        @Override
        public void putReservation(String scope, Reservation reservation) {
            inner.putReservation(scope, reservation);
        }

        @Override
        public void deleteReservation(String scope, String intentId) {
            inner.deleteReservation(scope, intentId);
        }
    }
}
