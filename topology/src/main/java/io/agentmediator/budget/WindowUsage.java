package io.agentmediator.budget;

import java.util.Objects;

/**
 * How full one budget window is at a moment, against the limit the policy sets now: for metrics,
 * soft-threshold alerts, rules and the audit record.
 *
 * @param warnAt the policy's soft threshold (0..1), or null when it has none
 */
public record WindowUsage(CalendarWindow window, long limitMicros, long spentMicros, long reservedMicros, Double warnAt) {

    public WindowUsage {
        Objects.requireNonNull(window, "window");
    }

    /**
     * {@code (spent + reserved) / limit}; above 1 when an actual cost overran its estimate. A zero limit
     * is 0 while nothing is used and infinite after.
     */
    public double utilisation() {
        long used = Math.addExact(spentMicros, reservedMicros);
        if (limitMicros == 0) {
            return used == 0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return (double) used / limitMicros;
    }

    /** True once utilisation has reached the soft threshold. */
    public boolean pastWarning() {
        return warnAt != null && utilisation() >= warnAt;
    }

    /** What an intent may still reserve in this window; never negative, even after an overrun. */
    public long remainingMicros() {
        return Math.max(0, limitMicros - Math.addExact(spentMicros, reservedMicros));
    }
}
