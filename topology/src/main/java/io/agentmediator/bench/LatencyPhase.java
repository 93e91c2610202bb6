package io.agentmediator.bench;

import io.agentmediator.config.MediatorConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The running mediator offered intents at a fixed rate. Each is sent with the time it was due as its record timestamp,
 * which the decision carries; a {@code read_committed} reader, positioned at the decisions' end before the first is sent,
 * takes for each decision the time from that timestamp until it saw it. Measured from when an intent was due, not from
 * when the sender got to it, a sender that falls behind (a pause, a send that blocks) adds its lag to the intents it
 * owed, as an agent waiting on it would see: timed from the send, that lag would drop out of the tail. The reader, the
 * producer and the intents (serialized, their claims timed) are ready before the schedule is fixed.
 */
final class LatencyPhase {

    private static final Duration LEAD = Duration.ofSeconds(1);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

    private final MediatorConfig config;
    private final Workload workload;
    private final String input;
    private final List<String> decisions;
    private final PrintWriter out;

    LatencyPhase(MediatorConfig config, Workload workload, String input, List<String> decisions, PrintWriter out) {
        this.config = config;
        this.workload = workload;
        this.input = input;
        this.decisions = decisions;
        this.out = out;
    }

    BenchReport.Latency run(double rate, Duration length, long seed, Duration timeout) throws InterruptedException {
        int count = (int) Math.max(1, Math.round(rate * length.toNanos() / 1e9));
        long intervalNanos = Math.round(1e9 / rate);
        out.printf(Locale.ROOT, "latency: offering %d intents at %.0f/s%n", count, rate);
        Latencies latencies = new Latencies();
        try (CommittedReader reader = new CommittedReader(config.clientSettings(), decisions, true);
                BenchProducer producer = new BenchProducer(config.clientSettings())) {
            Instant plannedAt = Instant.now().plus(LEAD);
            List<ProducerRecord<byte[], byte[]>> records = workload.records(input, count, seed, plannedAt, Duration.ofNanos(intervalNanos));
            Thread reading = new Thread(() -> read(reader, count, latencies, timeout), "bench-latency-reader");
            reading.start();
            // The schedule starts once all is ready: the intents keep their spacing, shifted from the time they were made for.
            long firstAtMillis = System.currentTimeMillis() + LEAD.toMillis();
            long shiftMillis = firstAtMillis - plannedAt.toEpochMilli();
            long startNanos = System.nanoTime() + LEAD.toNanos();
            long cpuAtStart = ProcessCpu.nanos();
            long worstLagNanos = 0;
            for (int i = 0; i < count; i++) {
                long due = startNanos + i * intervalNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                worstLagNanos = Math.max(worstLagNanos, System.nanoTime() - due);
                ProducerRecord<byte[], byte[]> planned = records.get(i);
                producer.send(new ProducerRecord<>(planned.topic(), null, planned.timestamp() + shiftMillis, planned.key(), planned.value()));
            }
            producer.flush();
            out.printf(Locale.ROOT, "latency: the sender was at most %d ms behind its schedule%n", Duration.ofNanos(worstLagNanos).toMillis());
            double sendingSeconds = BenchRun.seconds(System.nanoTime() - startNanos);
            reading.join(timeout.toMillis());
            if (reading.isAlive() || latencies.count() < count) {
                reading.interrupt();
                throw new IllegalStateException("latency: only " + latencies.count() + " of " + count
                        + " decisions visible within " + timeout);
            }
            BenchReport.Latency result = new BenchReport.Latency(rate, count, sendingSeconds,
                    BenchRun.seconds(ProcessCpu.nanos() - cpuAtStart),
                    latencies.perMille(500), latencies.perMille(990), latencies.perMille(999));
            out.printf(Locale.ROOT, "latency: p50 %d ms, p99 %d ms, p99.9 %d ms%n", result.p50(), result.p99(), result.p999());
            return result;
        }
    }

    /** On the reader's own thread: every decision's latency, until all are seen or the time is up. */
    private void read(CommittedReader reader, int count, Latencies latencies, Duration timeout) {
        long started = System.nanoTime();
        long giveUpAt = started + timeout.toNanos();
        long nextProgress = started + PROGRESS_INTERVAL.toNanos();
        while (latencies.count() < count && System.nanoTime() - giveUpAt < 0 && !Thread.currentThread().isInterrupted()) {
            reader.poll((timestamp, seenAt) -> latencies.add(seenAt - timestamp));
            if (System.nanoTime() - nextProgress >= 0) {
                out.printf(Locale.ROOT, "latency: %d/%d decided%n", latencies.count(), count);
                nextProgress += PROGRESS_INTERVAL.toNanos();
            }
        }
    }
}
