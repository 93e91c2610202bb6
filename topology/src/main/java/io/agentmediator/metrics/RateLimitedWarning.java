package io.agentmediator.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * A warning logged at most once per interval, with how many times it was suppressed since: a scrape
 * every 15 s must not fill the log with one broken gauge, yet the first failure must be seen.
 */
final class RateLimitedWarning {

    private final Logger log;
    private final Duration interval;
    private final Clock clock;
    private Instant lastLogged;
    private long suppressed;

    RateLimitedWarning(Logger log, Duration interval, Clock clock) {
        this.log = log;
        this.interval = interval;
        this.clock = clock;
    }

    /** Logs {@code message} (an SLF4J pattern with one placeholder for {@code detail}) unless logged within the interval. */
    synchronized void warn(String message, Object detail, Throwable error) {
        Instant now = clock.instant();
        if (lastLogged != null && now.isBefore(lastLogged.plus(interval))) {
            suppressed++;
            return;
        }
        String repeats = suppressed == 0 ? "" : " (" + suppressed + " more since the last warning, not logged)";
        log.warn(message + repeats, detail, error);
        lastLogged = now;
        suppressed = 0;
    }
}
