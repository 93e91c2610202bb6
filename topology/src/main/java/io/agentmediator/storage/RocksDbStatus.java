package io.agentmediator.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Whether a RocksDB store of Kafka Streams was closed with its changelog offsets, read without opening it for writing.
 * Since Kafka 4.4 a store keeps them in a column family of its own ({@code offsets}), beside a {@code status}: 1 once it
 * is open and has flushed, 0 once closed. A store a kill left open may still say 0 (nothing flushed since it opened), so
 * the status alone does not say a stop was clean; the task directory holds no {@code .checkpoint} file either way.
 */
public final class RocksDbStatus {

    private static final byte[] OFFSETS = "offsets".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STATUS = "status".getBytes(StandardCharsets.UTF_8);
    private static final byte[] POSITION = "position".getBytes(StandardCharsets.UTF_8);
    private static final long CLOSED = 0L;

    static {
        RocksDB.loadLibrary();
    }

    private RocksDbStatus() {}

    /**
     * True when the store at {@code dbDir} (a directory holding a {@code CURRENT} file) records that it was closed, and an
     * offset beside its status; false when it says open, keeps no status or offset (an older layout, a store never
     * committed), or cannot be read.
     */
    public static boolean closedWithOffsets(Path dbDir) throws RocksDBException {
        List<byte[]> families;
        try (Options options = new Options()) {
            families = RocksDB.listColumnFamilies(options, dbDir.toString());
        }
        int offsets = indexOf(families, OFFSETS);
        if (offsets < 0) {
            return false;
        }
        List<ColumnFamilyDescriptor> descriptors = families.stream().map(ColumnFamilyDescriptor::new).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>(descriptors.size());
        // Few files open at once: a large store's index and filter blocks are not all loaded to read two keys.
        try (DBOptions options = new DBOptions().setMaxOpenFiles(8);
                RocksDB db = RocksDB.openReadOnly(options, dbDir.toString(), descriptors, handles)) {
            byte[] status = db.get(handles.get(offsets), STATUS);
            return status != null && status.length == Long.BYTES && ByteBuffer.wrap(status).getLong() == CLOSED
                    && holdsAnOffset(db, handles.get(offsets));
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    /** Whether the offsets column family holds a key besides the status and the position (a changelog's offset). */
    private static boolean holdsAnOffset(RocksDB db, ColumnFamilyHandle offsets) {
        try (RocksIterator keys = db.newIterator(offsets)) {
            for (keys.seekToFirst(); keys.isValid(); keys.next()) {
                if (!Arrays.equals(keys.key(), STATUS) && !Arrays.equals(keys.key(), POSITION)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOf(List<byte[]> families, byte[] name) {
        for (int i = 0; i < families.size(); i++) {
            if (Arrays.equals(families.get(i), name)) {
                return i;
            }
        }
        return -1;
    }
}
