package io.agentmediator.testing;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * For tests on the real broker that stamp records with the wall clock and then ask about "this month" (a MONTH budget
 * window, a month's decisions): run across the start of a UTC month, the question is about another month than the records.
 */
public final class MonthStart {

    private MonthStart() {}

    /** Sleeps until the next UTC month has begun if it begins within {@code testLength}; returns at once otherwise. */
    public static void awaitClearOf(Duration testLength) throws InterruptedException {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Duration untilNext = Duration.between(now, now.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC));
        if (untilNext.compareTo(testLength) < 0) {
            Thread.sleep(untilNext.plusSeconds(1).toMillis());
        }
    }
}
