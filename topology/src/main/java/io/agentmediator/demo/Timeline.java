package io.agentmediator.demo;

import java.time.Duration;
import java.time.Instant;

/**
 * When, in event time, the simulated agents send each record: at a human-ish pace, ending now, so
 * rates and budgets bite as they would live and no timestamp lies in the future, which brokers
 * refuse. The first twentieth of the records is a further five hours older: their escalations are
 * already past the four-hour deadline when they arrive, so the demo shows them expire.
 */
final class Timeline {

    private static final Duration SPACING = Duration.ofMillis(1_500);
    private static final Duration STALE_BY = Duration.ofHours(5);

    private final int records;
    private final Instant end;

    Timeline(int records, Instant end) {
        this.records = records;
        this.end = end;
    }

    /** How many of the first records are stale. */
    int stale() {
        return records / 20;
    }

    /** The timestamp of the i-th record; increasing with i. */
    Instant at(int i) {
        Instant paced = end.minus(SPACING.multipliedBy(records - i));
        return i < stale() ? paced.minus(STALE_BY) : paced;
    }
}
