package io.agentmediator.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the process by one figure: they share one block cache, which
 * also holds their index and filter blocks and is charged for their memtables (at most a quarter of it). Kafka Streams'
 * default gives each store its own 50 MB cache and up to three 16 MB memtables, so memory grows with the tasks and
 * stores an instance hosts (a dozen stores a task) until the container's limit kills it, with no sign in the heap.
 */
public final class SharedRocksDbMemory implements RocksDBConfigSetter {

    /** The Kafka Streams setting it reads: the bytes all stores of the process share. */
    public static final String MEMORY_BYTES = "agent.mediator.rocksdb.memory.bytes";

    /**
     * The least that may be set: the memtables get a quarter, and a quarter that rounds to 0 bytes is RocksDB's "no limit"
     * (review, session 40). 1 MiB is already too little to serve reads from; what matters is that no setting lifts the bound.
     */
    public static final long LEAST_BYTES = 1L << 20;

    /** What a second Kafka Streams client in the process (a benchmark's pass-through) asking the same size shares too. */
    private static final Map<Long, Shared> BY_SIZE = new ConcurrentHashMap<>();

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {}

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object bytes = configs.get(MEMORY_BYTES);
        if (bytes == null) {
            throw new IllegalStateException(MEMORY_BYTES + " is not set among the streams settings");
        }
        Shared shared = BY_SIZE.computeIfAbsent(Long.parseLong(bytes.toString().trim()), SharedRocksDbMemory::allocate);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers());
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager outlive any one store: every store opened later in the process uses them.
    }

    private static Shared allocate(long bytes) {
        // A tenth kept for index and filter blocks, so a flood of data blocks does not evict what every read needs.
        Cache cache = new LRUCache(bytes, -1, false, 0.1);
        return new Shared(cache, new WriteBufferManager(bytes / 4, cache));
    }
}
