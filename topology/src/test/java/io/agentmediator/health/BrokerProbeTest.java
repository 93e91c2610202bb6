package io.agentmediator.health;

import io.agentmediator.testing.SteppedClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BrokerProbeTest {

    private static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final HealthState health = new HealthState();
    private final SteppedClock clock = new SteppedClock(T0);
    private boolean brokersAnswer = true;
    private final BrokerProbe probe = new BrokerProbe(() -> {
        if (!brokersAnswer) {
            throw new TimeoutException("Timed out waiting for a node assignment. Call: describeCluster");
        }
    }, health, GRACE, clock);

    @BeforeEach
    void readyOtherwise() {
        health.streamsState(KafkaStreams.State.RUNNING);
        health.policyLoaded("v1");
    }

    @Test
    void shouldStayReadyWhileTheBrokersAreGoneForLessThanTheGracePeriod() {
        // Given brokers that stop answering
        probe.probeOnce();
        brokersAnswer = false;

        // When they have been silent for just under the grace period
        probe.probeOnce();
        clock.advance(GRACE.minusSeconds(1));
        probe.probeOnce();

        // Then the mediator is still ready
        assertThat(health.ready()).isTrue();
        assertThat(health.brokerReachable()).isTrue();
    }

    @Test
    void shouldReportTheBrokersLostWithTheReasonOnceTheGracePeriodHasPassed() {
        // Given brokers silent since T0
        brokersAnswer = false;
        probe.probeOnce();

        // When the grace period has passed
        clock.advance(GRACE.plusSeconds(5));
        probe.probeOnce();

        // Then readiness fails, saying for how long and why
        assertThat(health.ready()).isFalse();
        assertThat(health.brokerReachable()).isFalse();
        assertThat(health.problems()).containsExactly(
                "Kafka brokers unreachable for 35 s: TimeoutException: Timed out waiting for a node assignment. Call: describeCluster");
    }

    @Test
    void shouldBeReadyAgainAsSoonAsTheBrokersAnswer() {
        // Given brokers reported lost
        brokersAnswer = false;
        probe.probeOnce();
        clock.advance(GRACE);
        probe.probeOnce();
        assertThat(health.ready()).isFalse();

        // When they answer again
        brokersAnswer = true;
        clock.advance(Duration.ofSeconds(5));
        probe.probeOnce();

        // Then the mediator is ready, and a later silence starts a new grace period
        assertThat(health.ready()).isTrue();
        brokersAnswer = false;
        probe.probeOnce();
        clock.advance(Duration.ofSeconds(10));
        probe.probeOnce();
        assertThat(health.ready()).isTrue();
    }

    @Test
    void shouldAskOftenEnoughForTheGracePeriodButNeverMoreThanEveryHalfSecond() {
        assertThat(BrokerProbe.interval(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(5));
        assertThat(BrokerProbe.interval(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(2));
        assertThat(BrokerProbe.interval(Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
    }
}
