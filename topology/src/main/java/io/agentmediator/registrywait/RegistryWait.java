package io.agentmediator.registrywait;

import io.agentmediator.health.HealthState;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.streams.processor.internals.GlobalStreamThread;
import org.apache.kafka.streams.processor.internals.StreamThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the schema registry, waiting while it cannot be reached. That is no fault of the record being read or
 * written, so the call is made again with backoff for up to {@code retryMax} while health reports the registry down;
 * after that the error escapes, the stream thread is replaced and the record is read again from the last commit,
 * never dead-lettered. Replacing the thread at once instead would use up the few deaths Kafka Streams allows before
 * shutting the client down.
 */
public final class RegistryWait {

    private static final Logger log = LoggerFactory.getLogger(RegistryWait.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final HealthState health;
    private final Duration retryMax;
    private final BooleanSupplier mayWait;

    /** Waits on whatever thread calls: a test driver runs the topology on its caller's. */
    public RegistryWait(HealthState health, Duration retryMax) {
        this(health, retryMax, () -> true);
    }

    private RegistryWait(HealthState health, Duration retryMax, BooleanSupplier mayWait) {
        this.health = health;
        this.retryMax = retryMax;
        this.mayWait = mayWait;
    }

    /**
     * Waits on Kafka Streams' threads only. Any other caller (an HTTP query reading a store value) gets the error at once:
     * held for {@code retryMax}, the few HTTP threads, which answer the health probes too, would all be taken. Nor does
     * its failure make the instance unready: the pipeline may need nothing the cache lacks.
     */
    public static RegistryWait onStreamThreads(HealthState health, Duration retryMax) {
        return new RegistryWait(health, retryMax,
                () -> Thread.currentThread() instanceof StreamThread || Thread.currentThread() instanceof GlobalStreamThread);
    }

    /** What {@code read} returns once the registry answers; any other error of it goes to the caller at once. */
    public <T> T read(Supplier<T> read) {
        long giveUpAt = System.nanoTime() + retryMax.toNanos();
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                T value = read.get();
                health.registryAvailable();
                return value;
            } catch (SchemaRegistryUnavailableException e) {
                if (!mayWait.getAsBoolean()) {
                    // Only a caller that asks again until answered reports the registry down, so its own answer clears the
                    // report. This one never asks again, and beneath the cache no later call may reach the registry: its
                    // report would keep the instance unready long after the registry is back.
                    throw e;
                }
                health.registryUnavailable(e.getMessage());
                if (System.nanoTime() - giveUpAt >= 0) {
                    log.error("schema registry still unavailable after {}; restarting the stream thread", retryMax);
                    throw e;
                }
                log.warn("schema registry unavailable, retrying in {} ms: {}", backoff.toMillis(), e.getMessage());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (InterruptException e) {
                // The call was cut short here, not answered there: nothing is known of the registry.
                throw e;
            } catch (RuntimeException e) {
                // An answer of the registry (no such schema, a conflict): it is reachable, whatever it said of this record.
                health.registryAvailable();
                throw e;
            }
        }
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the schema registry", e);
        }
    }
}
