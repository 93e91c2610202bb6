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

/**
 * Whether a RocksDB store of Kafka Streams was closed cleanly, read without opening it for writing. Since Kafka 4.4 a
 * store keeps its changelog offsets in a column family of its own ({@code offsets}), with a {@code status} of 1 while it
 * is open and 0 once closed: a store a kill left open says 1, and Kafka Streams, under exactly-once, wipes its task. The
 * task directory then holds no {@code .checkpoint} file either way.
 */
public final class RocksDbStatus {

    private static final byte[] OFFSETS = "offsets".getBytes(StandardCharsets.UTF_8);
    private static final byte[] STATUS = "status".getBytes(StandardCharsets.UTF_8);
    private static final long CLOSED = 0L;

    static {
        RocksDB.loadLibrary();
    }

    private RocksDbStatus() {}

    /**
     * True when the store at {@code dbDir} (a directory holding a {@code CURRENT} file) records that it was closed; false
     * when it was left open, keeps no status (an older layout), or cannot be read.
     */
    public static boolean closedCleanly(Path dbDir) throws RocksDBException {
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
        try (DBOptions options = new DBOptions();
                RocksDB db = RocksDB.openReadOnly(options, dbDir.toString(), descriptors, handles)) {
            byte[] status = db.get(handles.get(offsets), STATUS);
            return status != null && status.length == Long.BYTES && ByteBuffer.wrap(status).getLong() == CLOSED;
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
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
