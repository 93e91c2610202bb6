package io.agentmediator.connect;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * The one way these tests wait: poll a value until it satisfies a condition or the patience runs out, and hand back
 * the last value read, for the caller to assert on (so that a failure shows what differs, not only that it timed out).
 */
final class Eventually {

    /** Something to read that may throw, such as a SQL query. */
    @FunctionalInterface
    interface Probe<T> {
        T read() throws Exception;
    }

    private Eventually() {
    }

    static <T> T latest(Duration patience, Probe<T> probe, Predicate<T> done) throws Exception {
        long giveUpAt = System.nanoTime() + patience.toNanos();
        T last = probe.read();
        while (!done.test(last) && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(250);
            last = probe.read();
        }
        return last;
    }
}
