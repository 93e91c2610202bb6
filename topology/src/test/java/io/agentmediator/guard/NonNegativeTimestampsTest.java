package io.agentmediator.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.testing.TestDrivers;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** A record's own time when it has one; a negative one a producer chose becomes its partition's time, never a dead thread. */
class NonNegativeTimestampsTest {

    private final NonNegativeTimestamps extractor = new NonNegativeTimestamps();

    @Test
    void shouldKeepARecordsOwnTimestamp() {
        assertThat(extractor.extract(record(1_795_253_400_000L), 1_795_253_000_000L)).isEqualTo(1_795_253_400_000L);
        assertThat(extractor.extract(record(0), 1_795_253_000_000L)).isZero();
    }

    @Test
    void shouldGiveANegativeTimestampItsPartitionsTime() {
        assertThat(extractor.extract(record(-5), 1_795_253_000_000L)).isEqualTo(1_795_253_000_000L);
        assertThat(extractor.extract(record(Long.MIN_VALUE), 1_795_253_000_000L)).isEqualTo(1_795_253_000_000L);
    }

    @Test
    void shouldGiveANegativeTimestampZeroBeforeItsPartitionHasATime() {
        assertThat(extractor.extract(record(-1), -1)).isZero();
    }

    @Test
    void shouldBeTheMediatorsExtractorUnlessTheOperatorChoseAnother() {
        assertThat(TestDrivers.streamsSettings().get(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG))
                .isEqualTo(NonNegativeTimestamps.class);
    }

    private static ConsumerRecord<Object, Object> record(long timestamp) {
        return new ConsumerRecord<>("agent.policies", 0, 7, timestamp, TimestampType.CREATE_TIME, 7, 4, "default", "junk",
                new RecordHeaders(), Optional.empty());
    }
}
