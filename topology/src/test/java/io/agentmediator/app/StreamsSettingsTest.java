package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.storage.SharedRocksDbMemory;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Kafka Streams settings the mediator chooses, and that an operator's own win over them. */
class StreamsSettingsTest {

    @Test
    void shouldProcessWhatIsFetchedWithoutIdlingForOtherInputPartitions() {
        assertThat(StreamsSettings.of(MediatorConfig.defaults()).getProperty(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo("-1");
    }

    @Test
    void shouldCommitEveryFiftyMillisecondsSoTheThreeCommitsOfAClaimStayUnderThreeHundredMilliseconds() {
        assertThat(StreamsSettings.of(MediatorConfig.defaults()).getProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("50");
    }

    @Test
    void shouldLetTheRestoreConsumerWaitNoLongerThanACommitIntervalForChangelogTailsThatBringNothing() {
        assertThat(StreamsSettings.of(MediatorConfig.defaults()).getProperty("restore.consumer.fetch.max.wait.ms")).isEqualTo("50");
        assertThat(StreamsSettings.of(MediatorConfig.layered(Map.of("restore.consumer.fetch.max.wait.ms", "500"), Map.of(), Map.of())))
                .containsEntry("restore.consumer.fetch.max.wait.ms", "500");
    }

    @Test
    void shouldLeaveTheRestoreConsumerTheFetchWaitTheOperatorSetForEveryConsumer() {
        assertThat(StreamsSettings.of(MediatorConfig.layered(Map.of("fetch.max.wait.ms", "300"), Map.of(), Map.of())))
                .doesNotContainKey("restore.consumer.fetch.max.wait.ms");
        assertThat(StreamsSettings.of(MediatorConfig.layered(Map.of("consumer.fetch.max.wait.ms", "300"), Map.of(), Map.of())))
                .doesNotContainKey("restore.consumer.fetch.max.wait.ms");
    }

    @Test
    void shouldBoundTheStoresOffHeapMemoryByOneFigureUnlessTheOperatorConfiguresRocksDbItself() {
        assertThat(StreamsSettings.of(MediatorConfig.layered(Map.of("rocksdb.memory.bytes", "1048576"), Map.of(), Map.of())))
                .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SharedRocksDbMemory.class)
                .containsEntry(SharedRocksDbMemory.MEMORY_BYTES, "1048576");
        assertThat(StreamsSettings.of(MediatorConfig.layered(Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Own"),
                Map.of(), Map.of()))).containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.example.Own");
    }

    @Test
    void shouldRefuseAMemoryBoundWhoseMemtableQuarterWouldBeNoBound() {
        // A quarter of 3 bytes is 0, which RocksDB's WriteBufferManager takes as no limit on the memtables at all
        for (String bytes : new String[] {"3", "1048575"}) {
            assertThatThrownBy(() -> StreamsSettings.of(MediatorConfig.layered(Map.of("rocksdb.memory.bytes", bytes), Map.of(), Map.of())))
                    .hasMessage("rocksdb.memory.bytes must be from 1048576 to " + Long.MAX_VALUE + ", was \"" + bytes + "\"");
        }
    }

    @Test
    void shouldKeepTheOperatorsTaskIdleTimeCommitIntervalAndProcessingGuarantee() {
        MediatorConfig config = MediatorConfig.layered(
                Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0", StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200"), Map.of(), Map.of());

        assertThat(StreamsSettings.of(config))
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0")
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    }
}
