package io.agentmediator.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time this process has used, in nanoseconds: on a shared machine, where the wall clock
 * measures the neighbours too, CPU per record still compares runs. It covers every thread of the
 * process, the embedded broker's included, for both apps alike.
 */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** The process's CPU time so far, or -1 where the JVM cannot tell. */
    static long nanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }
}
