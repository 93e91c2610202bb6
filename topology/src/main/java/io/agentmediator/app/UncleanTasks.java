package io.agentmediator.app;

import io.agentmediator.storage.RocksDbStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under exactly-once a task's local state is only trusted if it was closed cleanly. After a kill Kafka Streams, finding
 * a task's stores not empty but not marked closed, opens each of them, declares the task corrupted, closes it dirty,
 * wipes it and rebalances before restoring: on a small machine that cycle took 30 s of the restart. Deleting those
 * directories before the client starts leads to the same restoration from the changelogs without the cycle.
 *
 * <p>What is kept: a task with a {@code .checkpoint} file (Kafka Streams before 4.4 wrote one at a clean close), and,
 * after a stop this process saw complete ({@link #markCleanStop}: the streams closed in time, every task cleanly), a task
 * each of whose stores Kafka Streams 4.4 would resume from ({@link RocksDbStatus}): a key-value store closed with its
 * offsets, a window store with at least one such segment. The mark is taken away at the start that reads it, so a kill
 * afterwards, or during a wipe Kafka Streams began, leaves none; and a store closed but holding what an aborted
 * transaction wrote is never kept on the word of its status alone. The global stores and the process id (which names
 * the transactional producer, so the new one fences the old one's open transaction at once) are kept always.
 */
final class UncleanTasks {

    private static final Logger log = LoggerFactory.getLogger(UncleanTasks.class);
    /** A task directory: subtopology and partition, as Kafka Streams names it. */
    private static final Pattern TASK_DIRECTORY = Pattern.compile("\\d+_\\d+");
    private static final String CHECKPOINT = ".checkpoint";
    /** The file Kafka Streams locks while a client uses the application's state directory. */
    private static final String LOCK = ".lock";
    /** The file every RocksDB instance keeps at its root. */
    private static final String ROCKSDB_CURRENT = "CURRENT";
    /** Where a task keeps its key-value stores, each a RocksDB instance; any other directory is a store of segments. */
    private static final String KEY_VALUE_STORES = "rocksdb";
    /** Written after a stop that closed every task cleanly, taken at the next start. */
    private static final String CLEAN_STOP = ".mediator-clean-stop";

    private UncleanTasks() {}

    /**
     * Deletes the task directories not closed cleanly under {@code stateDir/applicationId}; does
     * nothing while another process holds the directory's lock (Kafka Streams will then refuse it).
     * Returns the tasks whose state was dropped.
     */
    static List<String> drop(Path stateDir, String applicationId) {
        Path appDir = stateDir.resolve(applicationId);
        if (!Files.isDirectory(appDir)) {
            return List.of();
        }
        try (FileChannel channel = FileChannel.open(appDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = tryLock(channel)) {
            if (lock == null) {
                log.warn("state directory {} is in use by another process; left as it is", appDir);
                return List.of();
            }
            boolean cleanStop = Files.deleteIfExists(appDir.resolve(CLEAN_STOP));
            List<String> dropped = new ArrayList<>();
            List<Path> tasks;
            try (Stream<Path> children = Files.list(appDir)) {
                tasks = children.sorted().toList();
            }
            for (Path task : tasks) {
                if (isUnclean(task, cleanStop)) {
                    deleteTree(task);
                    dropped.add(task.getFileName().toString());
                }
            }
            if (!dropped.isEmpty() && !cleanStop) {
                log.warn("tasks {} stopped uncleanly (stores left open): their stores are restored from the changelogs, as exactly-once requires",
                        dropped);
            } else if (!dropped.isEmpty()) {
                log.info("tasks {} stopped cleanly but hold a store with nothing to resume from (a window store without a segment,"
                        + " a store added since): their stores are restored from the changelogs", dropped);
            }
            return dropped;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear unchecked task state in " + appDir, e);
        }
    }

    /** Null when another process, or another client in this one, holds the lock. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    /** Notes that the streams of {@code applicationId} closed every task cleanly; read by the next {@link #drop}. */
    static void markCleanStop(Path stateDir, String applicationId) {
        Path appDir = stateDir.resolve(applicationId);
        try {
            if (Files.isDirectory(appDir)) {
                Files.writeString(appDir.resolve(CLEAN_STOP), Instant.now() + "\n");
            }
        } catch (IOException e) {
            log.warn("cannot note the clean stop in {} ({}): the next start restores every task from the changelogs", appDir, e.getMessage());
        }
    }

    private static boolean isUnclean(Path path, boolean cleanStop) throws IOException {
        if (!Files.isDirectory(path) || !TASK_DIRECTORY.matcher(path.getFileName().toString()).matches()
                || Files.exists(path.resolve(CHECKPOINT))) {
            return false;
        }
        return !cleanStop || !storesResumable(path);
    }

    /** Whether Kafka Streams would resume every store of the task from its own files. */
    private static boolean storesResumable(Path task) throws IOException {
        List<Path> stores;
        try (Stream<Path> children = Files.list(task)) {
            stores = children.filter(Files::isDirectory).toList();
        }
        for (Path store : stores) {
            List<Path> instances;
            try (Stream<Path> children = Files.list(store)) {
                instances = children.filter(Files::isDirectory).toList();
            }
            // A window store without a segment has no offset to resume from; Kafka Streams calls its task corrupted.
            if (instances.isEmpty() && !store.getFileName().toString().equals(KEY_VALUE_STORES)) {
                return false;
            }
            if (!instances.stream().allMatch(UncleanTasks::resumable)) {
                return false;
            }
        }
        return !stores.isEmpty();
    }

    /** A RocksDB instance closed with its offsets; one that cannot be read counts as left open. */
    private static boolean resumable(Path instance) {
        if (!Files.isRegularFile(instance.resolve(ROCKSDB_CURRENT))) {
            return false;
        }
        try {
            return RocksDbStatus.closedWithOffsets(instance);
        } catch (RocksDBException e) {
            log.warn("cannot read whether store {} was closed ({}): its task is restored from the changelogs", instance, e.getMessage());
            return false;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
