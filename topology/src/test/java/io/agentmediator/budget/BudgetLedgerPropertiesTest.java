package io.agentmediator.budget;

import io.agentmediator.guard.EntryGuard;
import static io.agentmediator.testing.RandomCases.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.BudgetWindow;
import io.agentmediator.testing.RandomCases;
import io.agentmediator.testing.RandomCases.Draw;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Random interleavings of reserve, release, reconcile, commit and housekeeping, at random event times
 * around a clock change and a month end, checked after every step against a model: every reserve is
 * admitted exactly when the model has room (so a ledger that refuses everything fails too), and the
 * stores hold exactly the model's balances and open reservations, nothing more.
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

    @Test
    void shouldNeverPassALimitWhenActualCostsStayWithinTheirEstimates() {
        RandomCases.forAll(TRIES, draw -> steps(draw, 100), steps -> {
            // Given
            Run run = new Run();

            for (Step step : steps) {
                // When
                run.apply(step);

                // Then
                assertThat(run.model.windows.values())
                        .as("after %s", step)
                        .allSatisfy(window -> assertThat(window.used())
                                .isLessThanOrEqualTo(LIMIT_BY_WINDOW.get(window.window.window())));
            }
        });
    }

    @Test
    void shouldNeverAdmitPastALimitEvenAfterOverrunsNorRefuseWhatFits() {
        RandomCases.forAll(TRIES, draw -> steps(draw, 300), steps -> {
            // Given
            Run run = new Run();

            for (Step step : steps) {
                // When / Then: every step is checked against the model in Run.apply
                run.apply(step);
            }
        });
    }

    @Test
    void shouldAdmitSomethingInMostSequences() {
        // A ledger that refuses everything never passes a limit: the properties above also demand that each
        // reserve is admitted exactly when the model has room, and here that admissions actually happen.
        int[] admitted = {0};
        RandomCases.forAll(200, draw -> steps(draw, 100), steps -> {
            Run run = new Run();
            steps.forEach(step -> {
                if (run.apply(step) instanceof Admission.Admitted) {
                    admitted[0]++;
                }
            });
        });
        assertThat(admitted[0]).isGreaterThan(1_000);
    }

    /**
     * The ledger over real (in-memory) stores with the production serdes, committed after every step as the
     * processors do, a fresh ledger view each step so nothing survives in a buffer, and a model beside it.
     */
    private static final class Run {

        private final InMemoryBudgetStores stores = new InMemoryBudgetStores();
        private final StoreBudgetBook book = stores.book();
        private final Model model = new Model();

        Admission apply(Step step) {
            BudgetLedger ledger = new BudgetLedger("agent", book);
            Admission admission = null;
            if (step instanceof Step.Reserve reserve) {
                boolean fits = model.fits(reserve.intentId(), reserve.costMicros(), reserve.at());
                admission = ledger.tryReserve(reserve.intentId(), reserve.costMicros(), reserve.at(), LIMITS, BERLIN);
                assertThat(admission.admitted()).as("admitted exactly when it fits: %s -> %s", step, admission).isEqualTo(fits);
                if (admission instanceof Admission.Exceeded exceeded) {
                    assertThat(exceeded.spentMicros() + exceeded.reservedMicros() + exceeded.costMicros())
                            .as("refused only for a real shortfall: %s", exceeded)
                            .isGreaterThan(exceeded.limitMicros());
                }
                if (fits) {
                    model.reserve(reserve.intentId(), reserve.costMicros(), reserve.at());
                }
            } else if (step instanceof Step.Release release) {
                assertThat(ledger.release(release.intentId()) == Settlement.APPLIED).isEqualTo(model.close(release.intentId(), 0, false));
            } else if (step instanceof Step.Reconcile reconcile) {
                ModelReservation open = model.open.get(reconcile.intentId());
                long actual = open == null ? 0 : open.estimate * reconcile.actualPercent() / 100;
                assertThat(ledger.reconcile(reconcile.intentId(), actual) == Settlement.APPLIED)
                        .isEqualTo(model.close(reconcile.intentId(), actual, true));
            } else if (step instanceof Step.Commit commit) {
                ModelReservation open = model.open.get(commit.intentId());
                assertThat(ledger.commitEstimate(commit.intentId()) == Settlement.APPLIED)
                        .isEqualTo(model.close(commit.intentId(), open == null ? 0 : open.estimate, true));
            } else if (step instanceof Step.Prune prune) {
                book.sweep(prune.at(), Integer.MAX_VALUE, EntryGuard.UNGUARDED);
                model.prune(prune.at());
            }
            ledger.commit();
            assertMatchesModel(step);
            return admission;
        }

        /** Every balance and open reservation in the stores is the model's, and the stores hold nothing else. */
        private void assertMatchesModel(Step step) {
            assertThat(stores.balances.approximateNumEntries()).as("balances after %s", step).isEqualTo(model.windows.size());
            assertThat(stores.reservations.approximateNumEntries()).as("open reservations after %s", step).isEqualTo(model.open.size());
            model.windows.forEach((key, window) -> {
                WindowBalance balance = book.balance("agent", key);
                assertThat(balance).as("%s after %s", key, step).isNotNull();
                assertThat(balance.reservedMicros()).as("reserved in %s after %s", key, step).isEqualTo(window.reserved);
                assertThat(balance.spentMicros()).as("spent in %s after %s", key, step).isEqualTo(window.spent);
            });
            model.open.forEach((intentId, open) ->
                    assertThat(book.reservation("agent", intentId).windowKeys()).as("windows of %s", intentId).isEqualTo(open.windowKeys));
        }
    }

    /** What the ledger must hold, computed the obvious way. */
    private static final class Model {

        private final Map<String, ModelWindow> windows = new HashMap<>();
        private final Map<String, ModelReservation> open = new HashMap<>();

        boolean fits(String intentId, long cost, Instant at) {
            if (open.containsKey(intentId)) {
                return false;
            }
            for (BudgetLimit limit : LIMITS) {
                ModelWindow window = windows.get(WindowCalendar.windowAt(limit.window(), BERLIN, at).key());
                long used = window == null ? 0 : window.used();
                if (used + cost > limit.limitMicros()) {
                    return false;
                }
            }
            return true;
        }

        void reserve(String intentId, long cost, Instant at) {
            List<String> keys = new ArrayList<>();
            for (BudgetLimit limit : LIMITS) {
                CalendarWindow window = WindowCalendar.windowAt(limit.window(), BERLIN, at);
                windows.computeIfAbsent(window.key(), key -> new ModelWindow(window)).reserved += cost;
                keys.add(window.key());
            }
            open.put(intentId, new ModelReservation(cost, keys));
        }

        boolean close(String intentId, long spent, boolean settled) {
            ModelReservation reservation = open.remove(intentId);
            if (reservation == null) {
                return false;
            }
            for (String key : reservation.windowKeys) {
                ModelWindow window = windows.get(key);
                if (window != null) {
                    window.reserved -= reservation.estimate;
                    window.spent += settled ? spent : 0;
                }
            }
            return true;
        }

        /**
         * A window is looked at once it has been over for its own length (a DAY for 26 hours more, as far apart as zones
         * are): forgotten unless something is still reserved in it, else looked at again its length later.
         */
        void prune(Instant at) {
            windows.values().removeIf(window -> {
                if (window.dueAt.isAfter(at)) {
                    return false;
                }
                window.dueAt = at.plus(window.window.length());
                return window.reserved == 0;
            });
        }
    }

    private static final class ModelWindow {
        private final CalendarWindow window;
        private long spent;
        private long reserved;
        private Instant dueAt;

        ModelWindow(CalendarWindow window) {
            this.window = window;
            Instant due = window.end().plus(window.length());
            this.dueAt = window.window() == BudgetWindow.DAY ? due.plus(Duration.ofHours(26)) : due;
        }

        long used() {
            return spent + reserved;
        }
    }

    private record ModelReservation(long estimate, List<String> windowKeys) {
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
