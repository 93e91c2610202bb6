package io.agentmediator.budget;

import io.agentmediator.policy.BudgetWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One calendar period a budget is counted in: the half-open interval {@code [start, end)} and the key
 * the ledger files it under. Windows come from {@link WindowCalendar}, which aligns them in the policy's zone.
 *
 * @param key readable and stable for one zone, for example {@code DAY:2026-11-21}
 */
public record CalendarWindow(BudgetWindow window, Instant start, Instant end, String key) {

    public CalendarWindow {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(key, "key");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("a window must end after it starts: " + start + " .. " + end);
        }
    }

    /** Its real length: a DAY is 23 or 25 hours when the clocks change. */
    public Duration length() {
        return Duration.between(start, end);
    }

    public boolean contains(Instant at) {
        return !at.isBefore(start) && at.isBefore(end);
    }
}
