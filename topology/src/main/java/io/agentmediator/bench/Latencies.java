package io.agentmediator.bench;

import java.util.Arrays;

/** End-to-end latencies in milliseconds, collected by one thread and read once it is done. */
final class Latencies {

    private long[] millis = new long[1024];
    private int count;

    void add(long latencyMillis) {
        if (count == millis.length) {
            millis = Arrays.copyOf(millis, count * 2);
        }
        millis[count++] = latencyMillis;
    }

    int count() {
        return count;
    }

    /** The nearest-rank percentile, e.g. 99.9; 0 when nothing was collected. */
    long percentile(double percent) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(millis, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * count);
        return sorted[Math.max(0, Math.min(count, rank) - 1)];
    }
}
