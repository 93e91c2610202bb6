package io.agentmediator.budget;

import io.agentmediator.policy.BudgetWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one scope has used in one calendar window: {@code spentMicros} settled by outcomes and
 * {@code reservedMicros} held by intents still open. {@code limitMicros} is the limit in force when the
 * window was last charged, kept for reporting only: admission always takes the limit from the policy.
 */
public record WindowBalance(BudgetWindow window, Instant start, Instant end, long limitMicros,
                            long spentMicros, long reservedMicros) {

    /** How far apart two zones' clocks are at most (UTC+14 and UTC-12), and so the same local date's end in them. */
    static final Duration ZONES_APART = Duration.ofHours(26);

    public WindowBalance {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (spentMicros < 0 || reservedMicros < 0) {
            throw new IllegalArgumentException(
                    "spent and reserved cannot be negative: " + spentMicros + ", " + reservedMicros);
        }
    }

    /** A window nothing has been charged to yet. */
    static WindowBalance empty(CalendarWindow window, long limitMicros) {
        return new WindowBalance(window.window(), window.start(), window.end(), limitMicros, 0, 0);
    }

    /** This window with what {@code other} counted in the same window apart from it added. */
    WindowBalance plus(WindowBalance other) {
        return new WindowBalance(window, start, end, limitMicros, Math.addExact(spentMicros, other.spentMicros),
                Math.addExact(reservedMicros, other.reservedMicros));
    }

    /** Spent and reserved together: what admission compares with the limit. */
    public long usedMicros() {
        return Math.addExact(spentMicros, reservedMicros);
    }

    WindowBalance reserve(long amountMicros, long limitInForce) {
        return new WindowBalance(window, start, end, limitInForce, spentMicros, Math.addExact(reservedMicros, amountMicros));
    }

    WindowBalance unreserve(long amountMicros) {
        return new WindowBalance(window, start, end, limitMicros, spentMicros,
                Math.subtractExact(reservedMicros, amountMicros));
    }

    WindowBalance settle(long reservedAmountMicros, long spentAmountMicros) {
        return new WindowBalance(window, start, end, limitMicros, Math.addExact(spentMicros, spentAmountMicros),
                Math.subtractExact(reservedMicros, reservedAmountMicros));
    }

    /**
     * When the window may be forgotten: once it ended more than its own length ago. Until then a record
     * that arrives late, or out of order, still finds what was used in the window it falls in. A DAY is kept
     * {@link #ZONES_APART} longer: its key is a local date, which a policy moved to another zone goes on
     * counting in, and there the date may end that much later than the bounds it was first charged with.
     * A WEEK or a MONTH is longer than that, so its own length covers such a move.
     */
    Instant forgettableAfter() {
        Instant forgettable = end.plus(length());
        return window == BudgetWindow.DAY ? forgettable.plus(ZONES_APART) : forgettable;
    }

    /** Its real length: a DAY is 23 or 25 hours when the clocks change. */
    Duration length() {
        return Duration.between(start, end);
    }
}
