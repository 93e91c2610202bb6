package io.agentmediator.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Kafka cluster every few seconds whether it answers, and once it has not for the grace
 * period, tells {@link HealthState}, so readiness fails with the reason. The streams' own state is no
 * guide: they stay RUNNING, polling nothing, for as long as the brokers are gone.
 */
public final class BrokerProbe implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerProbe.class);
    private static final Duration LONGEST_INTERVAL = Duration.ofSeconds(5);
    private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(500);

    /** One question to the cluster; throws when it goes unanswered. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }

    private final Check check;
    private final HealthState health;
    private final Duration grace;
    private final Clock clock;
    private Instant failingSince;
    private ScheduledExecutorService scheduler;
    private Runnable closeClient = () -> {};

    BrokerProbe(Check check, HealthState health, Duration grace, Clock clock) {
        this.check = check;
        this.health = health;
        this.grace = grace;
        this.clock = clock;
    }

    /** Starts asking the cluster {@code clientSettings} reach, on a thread of its own. */
    public static BrokerProbe start(Map<String, Object> clientSettings, HealthState health, Duration grace) {
        Duration interval = interval(grace);
        Admin admin = Admin.create(clientSettings);
        DescribeClusterOptions options = new DescribeClusterOptions().timeoutMs((int) interval.toMillis());
        BrokerProbe probe = new BrokerProbe(() -> admin.describeCluster(options).clusterId().get(), health, grace, Clock.systemUTC());
        probe.closeClient = () -> admin.close(Duration.ofSeconds(5));
        probe.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "broker-probe");
            thread.setDaemon(true);
            return thread;
        });
        probe.scheduler.scheduleWithFixedDelay(probe::probeOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    /** Often enough that readiness fails close to the grace period, never more than every 5 s. */
    static Duration interval(Duration grace) {
        Duration half = grace.dividedBy(2);
        return half.compareTo(LONGEST_INTERVAL) > 0 ? LONGEST_INTERVAL : half.compareTo(SHORTEST_INTERVAL) < 0 ? SHORTEST_INTERVAL : half;
    }

    /** Asks once; reports the brokers lost when they have not answered since at least the grace period. */
    void probeOnce() {
        Instant asked = clock.instant();
        try {
            check.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            unanswered(asked, e);
            return;
        }
        if (failingSince != null) {
            log.info("Kafka brokers answer again after {} s", Duration.between(failingSince, asked).toSeconds());
        }
        failingSince = null;
        health.brokerAnswered();
    }

    private void unanswered(Instant asked, Exception e) {
        if (failingSince == null) {
            failingSince = asked;
            log.warn("Kafka brokers do not answer: {}", reason(e));
        }
        Duration down = Duration.between(failingSince, clock.instant());
        if (down.compareTo(grace) >= 0) {
            if (health.brokerReachable()) {
                log.warn("Kafka brokers unreachable for {} s: not ready until they answer", down.toSeconds());
            }
            health.brokerLost("Kafka brokers unreachable for " + down.toSeconds() + " s: " + reason(e));
        }
    }

    private static String reason(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeClient.run();
    }
}
