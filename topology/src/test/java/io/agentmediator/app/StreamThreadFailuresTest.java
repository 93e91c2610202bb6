package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

    @Test
    void aDeadThreadIsReplacedUntilThreadsDieMoreOftenThanTheWindowAllows() {
        StreamThreadFailures failures = new StreamThreadFailures(2, Duration.ofMinutes(10));
        StreamsException died = new StreamsException("commit failed", new TimeoutException("no answer"));

        assertThat(failures.handle(died)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.handle(died)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.handle(died)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void aThreadWhoseGroupInstanceIdWasTakenShutsTheClientDownAtTheFirstDeathAndCostsNoReplacement() {
        StreamThreadFailures failures = new StreamThreadFailures(1, Duration.ofMinutes(10));
        StreamsException fenced = new StreamsException("Error encountered trying to add offsets to a transaction",
                new FencedInstanceIdException("another consumer with the same group.instance.id has registered"));

        assertThat(failures.handle(fenced)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.handle(new StreamsException("commit failed"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
