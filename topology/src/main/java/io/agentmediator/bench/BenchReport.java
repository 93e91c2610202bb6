package io.agentmediator.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What {@code bench} measured, printed as a table and, last, the line scripts read:
 * {@code ratio: mediator/passthrough throughput = X.XXX}.
 *
 * @param passThrough the copy's throughput phase
 * @param mediator    the mediator's throughput phase
 * @param latency     the mediator at a fixed rate
 * @param writeFloor  the mediator's writes alone ({@link WriteFloorApp}), or null when not measured
 */
record BenchReport(Throughput passThrough, Throughput mediator, Latency latency, Throughput writeFloor) {

    double ratio() {
        return mediator.perSecond() / passThrough.perSecond();
    }

    void print(PrintWriter out) {
        out.println();
        out.println(String.format(Locale.ROOT, "%-24s %10s %10s %12s %14s %14s %12s %8s %9s %9s %9s",
                "phase", "records", "seconds", "records/s", "cpu us/record", "stream us/rec", "stream busy", "jit s",
                "p50 ms", "p99 ms", "p99.9 ms"));
        out.println(row(passThrough));
        out.println(row(mediator));
        if (writeFloor != null) {
            out.println(row(writeFloor));
        }
        out.println(String.format(Locale.ROOT, "%-24s %10d %10.3f %12.1f %14.0f %14s %12s %8s %9d %9d %9d",
                String.format(Locale.ROOT, "mediator at %.0f/s", latency.offeredPerSecond()), latency.records(),
                latency.seconds(), latency.records() / latency.seconds(), latency.cpuMicrosPerRecord(), "", "", "",
                latency.p50(), latency.p99(), latency.p999()));
        if (writeFloor != null) {
            out.println(String.format(Locale.ROOT, "floor: write floor/passthrough = %.3f, mediator/write floor = %.3f",
                    writeFloor.perSecond() / passThrough.perSecond(), mediator.perSecond() / writeFloor.perSecond()));
        }
        out.println(String.format(Locale.ROOT, "ratio: mediator/passthrough throughput = %.3f", ratio()));
    }

    /** A throughput phase's row; its latency columns stay empty. */
    private static String row(Throughput phase) {
        return String.format(Locale.ROOT, "%-24s %10d %10.3f %12.1f %14.0f %14.0f %11.0f%% %8.1f %9s %9s %9s", phase.name(),
                phase.records(), phase.seconds(), phase.perSecond(), phase.cpuMicrosPerRecord(), phase.streamMicrosPerRecord(),
                100 * phase.streamBusy(), phase.compilerSeconds(), "", "", "");
    }

    /**
     * Records made visible, read_committed, in so many seconds since the app was running on so many
     * stream threads; the process's CPU seconds meanwhile (broker and reader included), the app's
     * stream threads' CPU seconds, and the seconds the JIT compilers worked.
     */
    record Throughput(String name, long records, double seconds, int threads, double cpuSeconds, double streamCpuSeconds,
                      double compilerSeconds) {
        double perSecond() {
            return records / seconds;
        }

        double cpuMicrosPerRecord() {
            return cpuSeconds * 1e6 / records;
        }

        double streamMicrosPerRecord() {
            return streamCpuSeconds * 1e6 / records;
        }

        /** The share of its wall-clock time the app's stream threads were on a core. */
        double streamBusy() {
            return streamCpuSeconds / (seconds * threads);
        }
    }

    /** Intents offered at a fixed rate, and the latency from record timestamp to decision visible. */
    record Latency(double offeredPerSecond, long records, double seconds, double cpuSeconds, long p50, long p99, long p999) {
        double cpuMicrosPerRecord() {
            return cpuSeconds * 1e6 / records;
        }
    }
}
