package io.agentmediator.budget;

import static io.agentmediator.testing.RandomCases.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.BudgetWindow;
import io.agentmediator.testing.RandomCases;
import io.agentmediator.testing.RandomCases.Draw;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Random interleavings of reserve, release, reconcile, commit and prune, at random event times around a
 * clock change and a month end, checked after every step.
 *
 * <p>Reconciling above the estimate is the one legitimate way past a limit (the money was really spent),
 * so the first property reconciles at or below the estimate and asserts no window ever passes its limit;
 * the second lets actual costs run to three times the estimate and asserts instead that an admitted
 * reservation never takes a window past its limit. Limits stay fixed: lowering one is the other way.
 *
 * <p>Each property runs on {@value #TRIES} sequences of up to 150 steps, drawn by {@link RandomCases} from a
 * fixed seed: 25 intents, so that steps often meet an intent's earlier reservation; small costs against
 * small limits, zero among them; and minutes over two weeks, with the window boundaries themselves (and the
 * millisecond before each) and timestamps shared between steps drawn on purpose.
 */
class BudgetLedgerPropertiesTest {

    private static final int TRIES = 1_000;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant FROM = Instant.parse("2026-10-20T00:00:00Z");
    private static final int MINUTES = 14 * 24 * 60;
    private static final List<BudgetLimit> LIMITS = List.of(
            new BudgetLimit(BudgetWindow.HOUR, 10, null),
            new BudgetLimit(BudgetWindow.DAY, 25, 0.8),
            new BudgetLimit(BudgetWindow.WEEK, 60, null),
            new BudgetLimit(BudgetWindow.MONTH, 90, null));
    private static final Map<BudgetWindow, Long> LIMIT_BY_WINDOW = Map.of(
            BudgetWindow.HOUR, 10L, BudgetWindow.DAY, 25L, BudgetWindow.WEEK, 60L, BudgetWindow.MONTH, 90L);

    /**
     * In Berlin: the first 02:00 of 25 October 2026, the clock change that repeats it, the end of that
     * 25-hour day (a Monday, so also a week's start), the month end and the next week's start.
     */
    private static final List<Instant> BOUNDARIES = List.of(
            Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T01:00:00Z"),
            Instant.parse("2026-10-25T23:00:00Z"), Instant.parse("2026-10-31T23:00:00Z"),
            Instant.parse("2026-11-01T23:00:00Z"));

    private final BudgetLedgerSerde serde = new BudgetLedgerSerde();

    @Test
    void shouldNeverPassALimitWhenActualCostsStayWithinTheirEstimates() {
        RandomCases.forAll(TRIES, draw -> steps(draw, 100), steps -> {
            // Given
            BudgetLedger ledger = new BudgetLedger();

            for (Step step : steps) {
                // When
                apply(step, ledger);

                // Then
                assertThat(ledger.windows().values())
                        .as("after %s", step)
                        .allSatisfy(balance -> assertThat(balance.usedMicros())
                                .isLessThanOrEqualTo(LIMIT_BY_WINDOW.get(balance.window())));
                assertBalancesAddUp(ledger);
            }
        });
    }

    @Test
    void shouldNeverAdmitPastALimitEvenAfterOverruns() {
        RandomCases.forAll(TRIES, draw -> steps(draw, 300), steps -> {
            // Given
            BudgetLedger ledger = new BudgetLedger();

            for (Step step : steps) {
                // When
                Admission admission = apply(step, ledger);

                // Then
                if (admission instanceof Admission.Admitted admitted && ((Step.Reserve) step).costMicros() > 0) {
                    assertThat(admitted.windowKeys())
                            .as("after %s", step)
                            .allSatisfy(key -> assertThat(ledger.windows().get(key).usedMicros())
                                    .isLessThanOrEqualTo(LIMIT_BY_WINDOW.get(ledger.windows().get(key).window())));
                }
                assertBalancesAddUp(ledger);
            }
        });
    }

    /** Applies one step and checks what holds for any step; returns the admission for a reserve. */
    private Admission apply(Step step, BudgetLedger ledger) {
        Admission admission = null;
        if (step instanceof Step.Reserve reserve) {
            // A copy, not a serde round trip: that is checked on its own below, and a copy keeps each step cheap.
            BudgetLedger before = new BudgetLedger(ledger.windows(), ledger.reservations());
            admission = ledger.tryReserve(reserve.intentId(), reserve.costMicros(), reserve.at(), LIMITS, BERLIN);
            if (!admission.admitted()) {
                assertThat(ledger).as("a refusal changes nothing: %s", step).isEqualTo(before);
            }
            if (admission instanceof Admission.Exceeded exceeded) {
                assertThat(exceeded.spentMicros() + exceeded.reservedMicros() + exceeded.costMicros())
                        .as("refused only for a real shortfall: %s", exceeded)
                        .isGreaterThan(exceeded.limitMicros());
            }
        } else if (step instanceof Step.Release release) {
            ledger.release(release.intentId());
        } else if (step instanceof Step.Reconcile reconcile) {
            ledger.reservation(reconcile.intentId()).ifPresent(reservation ->
                    ledger.reconcile(reconcile.intentId(), reservation.estimateMicros() * reconcile.actualPercent() / 100));
        } else if (step instanceof Step.Commit commit) {
            ledger.commitEstimate(commit.intentId());
        } else if (step instanceof Step.Prune prune) {
            ledger.prune(prune.at());
        }
        assertThat(roundTrip(ledger)).as("serde round trip after %s", step).isEqualTo(ledger);
        return admission;
    }

    /**
     * Every window's reserved amount is exactly the sum of the open reservations charged to it, its spent
     * amount exactly the sum of the settled ones, and every open reservation still finds its windows.
     */
    private static void assertBalancesAddUp(BudgetLedger ledger) {
        ledger.windows().forEach((key, balance) -> {
            long reserved = 0;
            long spent = 0;
            for (Reservation reservation : ledger.reservations().values()) {
                if (reservation.windowKeys().contains(key)) {
                    reserved += reservation.isOpen() ? reservation.estimateMicros() : 0;
                    spent += reservation.status() == ReservationStatus.SETTLED ? reservation.spentMicros() : 0;
                }
            }
            assertThat(balance.reservedMicros()).as("reserved in %s", key).isEqualTo(reserved);
            assertThat(balance.spentMicros()).as("spent in %s", key).isEqualTo(spent);
        });
        ledger.reservations().values().stream().filter(Reservation::isOpen).forEach(open ->
                assertThat(ledger.windows().keySet()).as("windows of %s", open.intentId())
                        .containsAll(open.windowKeys()));
    }

    private BudgetLedger roundTrip(BudgetLedger ledger) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", ledger));
    }

    private static List<Step> steps(Draw draw, int maxActualPercent) {
        Supplier<String> intents = () -> "intent-" + draw.intBetween(0, 24);
        // A few instants that several steps share, for records with equal timestamps.
        List<Instant> shared = draw.listOf(1, 4, () -> instant(draw));
        Supplier<Instant> times = () -> draw.frequencyOf(
                weighted(3, () -> instant(draw)),
                weighted(1, () -> draw.oneOf(shared)));
        // Small costs against small limits, so that windows are often filled to exactly their limit.
        Supplier<Long> costs = () -> draw.frequencyOf(
                weighted(1, () -> 0L),
                weighted(8, () -> draw.longBetween(1, 6)),
                weighted(1, () -> draw.longBetween(7, 12)));
        return draw.listOf(1, 150, () -> draw.<Step>frequencyOf(
                weighted(10, () -> new Step.Reserve(intents.get(), costs.get(), times.get())),
                weighted(3, () -> new Step.Release(intents.get())),
                weighted(3, () -> new Step.Reconcile(intents.get(), draw.longBetween(0, maxActualPercent))),
                weighted(2, () -> new Step.Commit(intents.get())),
                weighted(1, () -> new Step.Prune(times.get()))));
    }

    private static Instant instant(Draw draw) {
        return draw.frequencyOf(
                weighted(9, () -> FROM.plusSeconds(60L * draw.intBetween(0, MINUTES))),
                weighted(1, () -> draw.oneOf(BOUNDARIES).minusMillis(draw.intBetween(0, 1))));
    }

    /** One thing that can happen to a ledger. */
    sealed interface Step {

        record Reserve(String intentId, long costMicros, Instant at) implements Step {
        }

        record Release(String intentId) implements Step {
        }

        /** Reconciles with {@code actualPercent} of the estimate. */
        record Reconcile(String intentId, long actualPercent) implements Step {
        }

        record Commit(String intentId) implements Step {
        }

        record Prune(Instant at) implements Step {
        }
    }
}
