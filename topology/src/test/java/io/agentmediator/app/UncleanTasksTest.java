package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

class UncleanTasksTest {

    @TempDir Path stateDir;
    private Path appDir;

    @BeforeEach
    void givenTheStateOfAKilledInstance() throws Exception {
        // Given a task killed while it worked (no checkpoint, no store saying it was closed), one closed cleanly before (a checkpoint, as before Kafka 4.4), the global stores and the process id
        appDir = stateDir.resolve("mediator");
        Files.createDirectories(appDir.resolve("0_0/rocksdb/budget-balances"));
        Files.writeString(appDir.resolve("0_0/rocksdb/budget-balances/000001.sst"), "rows");
        Files.createDirectories(appDir.resolve("1_2/rocksdb/resource-holds"));
        Files.writeString(appDir.resolve("1_2/.checkpoint"), "0\n1\nmediator-resource-holds-changelog 2 41\n");
        Files.createDirectories(appDir.resolve("global/rocksdb/accepted-policies"));
        Files.writeString(appDir.resolve("kafka-streams-process-metadata"), "{\"processId\":\"p-1\"}");
    }

    @Test
    void shouldDropOnlyTheTasksWithoutACheckpoint() {
        // When the mediator starts
        assertThat(UncleanTasks.drop(stateDir, "mediator")).containsExactly("0_0");

        // Then that task's state is gone and everything else is kept
        assertThat(appDir.resolve("0_0")).doesNotExist();
        assertThat(appDir.resolve("1_2/.checkpoint")).exists();
        assertThat(appDir.resolve("global/rocksdb/accepted-policies")).isDirectory();
        assertThat(appDir.resolve("kafka-streams-process-metadata")).exists();
    }

    @Test
    void shouldKeepAfterACleanStopTheTasksEveryStoreOfWhichCanResume() throws Exception {
        // Given, as Kafka Streams 4.4 leaves them (no checkpoint file; each store's offsets column family holds its status
        // and offsets), after a stop this process noted as clean: a task whose stores are closed with their offsets, one
        // whose second store says open, one whose window store has no segment, and one whose store holds no offset
        store(appDir.resolve("0_1/rocksdb/executed-cases"), 0L, true);
        store(appDir.resolve("0_1/intent-ids/intent-ids.1764000000000"), 0L, true);
        store(appDir.resolve("0_2/rocksdb/executed-cases"), 0L, true);
        store(appDir.resolve("0_2/rocksdb/intent-owners"), 1L, true);
        store(appDir.resolve("0_3/rocksdb/executed-cases"), 0L, true);
        Files.createDirectories(appDir.resolve("0_3/intent-ids"));
        store(appDir.resolve("0_4/rocksdb/executed-cases"), 0L, false);
        UncleanTasks.markCleanStop(stateDir, "mediator");

        // When the mediator starts
        List<String> dropped = UncleanTasks.drop(stateDir, "mediator");

        // Then only the task every store of which Kafka Streams resumes from is kept, and the mark is taken
        assertThat(dropped).containsExactly("0_0", "0_2", "0_3", "0_4");
        assertThat(appDir.resolve("0_1/intent-ids/intent-ids.1764000000000/CURRENT")).exists();
        assertThat(UncleanTasks.drop(stateDir, "mediator")).as("the next start, without a new mark").containsExactly("0_1");
    }

    @Test
    void shouldDropEveryTaskAfterAStopNobodySawCompleteThoughItsStoresSayClosed() throws Exception {
        // Given stores that say closed (a kill before anything was flushed leaves them so), and no mark of a clean stop
        store(appDir.resolve("0_1/rocksdb/executed-cases"), 0L, true);

        // When the mediator starts, Then the task is restored from the changelogs
        assertThat(UncleanTasks.drop(stateDir, "mediator")).containsExactly("0_0", "0_1");
    }

    /** A RocksDB store with the offsets column family Kafka Streams keeps: its status 0 (closed) or 1 (open), an offset or none. */
    private static void store(Path dir, long status, boolean withOffset) throws Exception {
        Files.createDirectories(dir);
        RocksDB.loadLibrary();
        List<ColumnFamilyDescriptor> families = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                new ColumnFamilyDescriptor("offsets".getBytes(StandardCharsets.UTF_8)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
                RocksDB db = RocksDB.open(options, dir.toString(), families, handles)) {
            db.put(handles.get(0), "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
            db.put(handles.get(1), "status".getBytes(StandardCharsets.UTF_8), longBytes(status));
            if (withOffset) {
                db.put(handles.get(1), "mediator-executed-cases-changelog-1".getBytes(StandardCharsets.UTF_8), longBytes(41));
            }
        } finally {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    private static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    @Test
    void shouldLeaveTheDirectoryAloneWhileAnotherClientHoldsItsLock() throws Exception {
        // Given the directory locked, as a running client locks it
        try (FileChannel channel = FileChannel.open(appDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            // When another starts on it, Then nothing is dropped
            assertThat(UncleanTasks.drop(stateDir, "mediator")).isEmpty();
            assertThat(appDir.resolve("0_0/rocksdb/budget-balances/000001.sst")).exists();
        }
    }

    @Test
    void shouldDoNothingOnAFirstStart() {
        assertThat(UncleanTasks.drop(stateDir, "never-ran")).isEmpty();
        assertThat(stateDir.resolve("never-ran")).doesNotExist();
    }
}
