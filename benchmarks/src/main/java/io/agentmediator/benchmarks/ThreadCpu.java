package io.agentmediator.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU time the benchmark thread got, reported by JMH next to the score as {@code onCpuNanos}
 * per second of wall time: 1e9 means the thread ran the whole time, less means it waited for a
 * core. The benchmarks run on machines shared with other builds, and a score alone cannot say
 * whether it measured the code or the neighbours; score × 1e9 / onCpuNanos is the rate per second
 * of CPU, that is per core.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds of the benchmark thread within measured invocations (public: JMH reads it). */
    public long onCpuNanos;

    @Setup(Level.Iteration)
    public void reset() {
        onCpuNanos = 0;
    }

    long start() {
        return THREADS.getCurrentThreadCpuTime();
    }

    void stop(long start) {
        onCpuNanos += THREADS.getCurrentThreadCpuTime() - start;
    }
}
