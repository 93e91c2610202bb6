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
     * that arrives late, or out of order, still finds what was used in the window it falls in.
     */
    Instant forgettableAfter() {
        return end.plus(length());
    }

    /** Its real length: a DAY is 23 or 25 hours when the clocks change. */
    Duration length() {
        return Duration.between(start, end);
    }
}
