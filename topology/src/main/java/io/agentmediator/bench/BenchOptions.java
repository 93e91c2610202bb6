package io.agentmediator.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code bench} runs: the fleet and its intents, how the pipeline is laid out, and how long to
 * wait.
 *
 * @param config       a properties file naming a real cluster, or null for an embedded broker
 * @param agents       agents in the fleet
 * @param intents      intents timed for throughput, produced before either clock starts
 * @param partitions   partitions of every topic, input and output alike
 * @param threads      stream threads of each app ({@code num.stream.threads})
 * @param claimsPct    per cent of intents that claim a resource (a room, exclusive, for a minute)
 * @param pool         whether agents also spend from their department's shared pool
 * @param seed         seed of the intent mix
 * @param rate         intents per second offered in the latency phase; 0 for half the mediator's measured peak
 * @param latencyPhase how long intents are offered at that rate
 * @param timeout      how long any phase may take before the run fails
 * @param census       whether to count, after the mediator's throughput phase, the records it wrote per intent, by topic
 * @param warmup       intents both apps decide first, on topics and ids of their own and untimed, so the measured
 *                     phases run on a warm JVM (0: none)
 * @param writeFloor   whether to take the census and then time {@link WriteFloorApp}: the mediator's writes alone
 */
public record BenchOptions(Path config, int agents, int intents, int partitions, int threads, int claimsPct,
                           boolean pool, long seed, double rate, Duration latencyPhase, Duration timeout,
                           boolean census, int warmup, boolean writeFloor) {

    public BenchOptions {
        require(agents >= 1, "--agents must be at least 1");
        require(intents >= 1, "--intents must be at least 1");
        require(partitions >= 1, "--partitions must be at least 1");
        require(threads >= 1, "--threads must be at least 1");
        require(claimsPct >= 0 && claimsPct <= 100, "--claims-pct must be between 0 and 100");
        require(rate >= 0, "--rate must not be negative");
        require(!latencyPhase.isNegative() && !latencyPhase.isZero(), "--latency-duration must be positive");
        require(!timeout.isNegative() && !timeout.isZero(), "--timeout must be positive");
        require(warmup >= 0, "--warmup must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
