package io.agentmediator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** Real RocksDB stores configured as Kafka Streams configures them, then by the setter: they share one cache of the size set. */
class SharedRocksDbMemoryTest {

    private static final long BYTES = 40L * 1024 * 1024;

    @TempDir Path dir;

    @Test
    void shouldGiveEveryStoreTheOneCacheOfTheSizeSet() throws Exception {
        RocksDB.loadLibrary();
        try (Options first = configured("first"); Options second = configured("second");
                RocksDB written = RocksDB.open(first, dir.resolve("first").toString());
                RocksDB empty = RocksDB.open(second, dir.resolve("second").toString());
                FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            // Given one store with data on disk, read back through its block cache
            for (int i = 0; i < 1_000; i++) {
                written.put(("key-" + i).getBytes(StandardCharsets.UTF_8), ("value-" + i).getBytes(StandardCharsets.UTF_8));
            }
            written.flush(flush);
            for (int i = 0; i < 1_000; i++) {
                written.get(("key-" + i).getBytes(StandardCharsets.UTF_8));
            }

            // Then both have a cache of the size set, and the empty one's holds what the other read: it is one cache
            assertThat(written.getLongProperty("rocksdb.block-cache-capacity")).isEqualTo(BYTES);
            assertThat(empty.getLongProperty("rocksdb.block-cache-capacity")).isEqualTo(BYTES);
            assertThat(empty.getLongProperty("rocksdb.block-cache-usage")).isPositive();
        }
    }

    /** As Kafka Streams' RocksDB store hands its options to the setter: a block-based table config of its own first. */
    private static Options configured(String store) {
        Options options = new Options().setCreateIfMissing(true);
        options.setTableFormatConfig(new BlockBasedTableConfig());
        new SharedRocksDbMemory().setConfig(store, options, Map.of(SharedRocksDbMemory.MEMORY_BYTES, String.valueOf(BYTES)));
        return options;
    }
}
