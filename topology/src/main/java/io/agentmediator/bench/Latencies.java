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

    /**
     * The nearest-rank percentile given in thousandths (999 for p99.9); 0 when nothing was collected. The rank is counted
     * in integers: {@code ceil(99.9 / 100 * 1000)} in doubles is 1000, one rank too high, the maximum.
     */
    long perMille(int perMille) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(millis, count);
        Arrays.sort(sorted);
        long rank = ((long) perMille * count + 999) / 1000;
        return sorted[(int) Math.max(0, Math.min(count, rank) - 1)];
    }
}
