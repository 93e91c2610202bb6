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
 */
record BenchReport(Throughput passThrough, Throughput mediator, Latency latency) {

    double ratio() {
        return mediator.perSecond() / passThrough.perSecond();
    }

    void print(PrintWriter out) {
        out.println();
        out.println(String.format(Locale.ROOT, "%-24s %10s %10s %12s %14s %9s %9s %9s",
                "phase", "records", "seconds", "records/s", "cpu us/record", "p50 ms", "p99 ms", "p99.9 ms"));
        out.println(row(passThrough.name(), passThrough.records(), passThrough.seconds(), passThrough.cpuMicrosPerRecord(), "", "", ""));
        out.println(row(mediator.name(), mediator.records(), mediator.seconds(), mediator.cpuMicrosPerRecord(), "", "", ""));
        out.println(row(String.format(Locale.ROOT, "mediator at %.0f/s", latency.offeredPerSecond()), latency.records(),
                latency.seconds(), latency.cpuMicrosPerRecord(), Long.toString(latency.p50()),
                Long.toString(latency.p99()), Long.toString(latency.p999())));
        out.println(String.format(Locale.ROOT, "ratio: mediator/passthrough throughput = %.3f", ratio()));
    }

    private static String row(String phase, long records, double seconds, double cpuMicrosPerRecord, String p50, String p99,
                              String p999) {
        return String.format(Locale.ROOT, "%-24s %10d %10.3f %12.1f %14.0f %9s %9s %9s", phase, records, seconds,
                records / seconds, cpuMicrosPerRecord, p50, p99, p999);
    }

    /**
     * Records made visible, read_committed, in so many seconds since the app was running, and the
     * process's CPU seconds meanwhile (broker and reader included).
     */
    record Throughput(String name, long records, double seconds, double cpuSeconds) {
        double perSecond() {
            return records / seconds;
        }

        double cpuMicrosPerRecord() {
            return cpuSeconds * 1e6 / records;
        }
    }

    /** Intents offered at a fixed rate, and the latency from record timestamp to decision visible. */
    record Latency(double offeredPerSecond, long records, double seconds, double cpuSeconds, long p50, long p99, long p999) {
        double cpuMicrosPerRecord() {
            return cpuSeconds * 1e6 / records;
        }
    }
}
