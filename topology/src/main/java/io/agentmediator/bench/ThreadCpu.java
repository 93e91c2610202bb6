package io.agentmediator.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of one app's stream threads, and the JIT compiler's time, so a phase's process CPU can be
 * split into what the app's own processing took and what went elsewhere (broker, clients, compiler, GC).
 * A stream thread busy near 100 % of the wall clock is what limits its app; one well below waits
 * (for commits, for fetches, or for a core).
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /**
     * CPU nanoseconds used so far by the live stream threads of the app whose client ids start with
     * {@code applicationId} (Kafka Streams names them {@code <application.id>-<uuid>-StreamThread-N}).
     */
    static long streamThreadNanos(String applicationId) {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(applicationId + "-")
                    && info.getThreadName().contains("-StreamThread-")) {
                long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                total += Math.max(nanos, 0);
            }
        }
        return total;
    }

    /** Milliseconds the JIT compilers have spent so far (wall time of compilation, all compiler threads), or -1. */
    static long compilerMillis() {
        var compilation = ManagementFactory.getCompilationMXBean();
        return compilation != null && compilation.isCompilationTimeMonitoringSupported() ? compilation.getTotalCompilationTime() : -1;
    }
}
