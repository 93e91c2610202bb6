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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under exactly-once a task's local state is only trusted if it was closed cleanly. Kafka Streams 4.4 keeps that in each
 * RocksDB store (an {@code offsets} column family with a {@code status}: open, or closed with the changelog offsets it
 * holds, {@link RocksDbStatus}); earlier versions wrote a {@code .checkpoint} file beside the task's stores. After a kill a
 * task's stores say open, and Kafka Streams, finding them not empty, opens each of them, declares the task corrupted,
 * closes it dirty, wipes it and rebalances before restoring: on a small machine that cycle took 30 s of the restart.
 * Deleting those directories before the client starts leads to the same restoration from the changelogs without the
 * cycle. A task closed cleanly (every store closed, or a checkpoint), the global stores and the process id (which names
 * the transactional producer, so the new one fences the old one's open transaction at once) are kept: a clean restart
 * restores nothing.
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
            List<String> dropped = new ArrayList<>();
            List<Path> tasks;
            try (Stream<Path> children = Files.list(appDir)) {
                tasks = children.sorted().toList();
            }
            for (Path task : tasks) {
                if (isUnclean(task)) {
                    deleteTree(task);
                    dropped.add(task.getFileName().toString());
                }
            }
            if (!dropped.isEmpty()) {
                log.warn("tasks {} stopped uncleanly (stores left open): their stores are restored from the changelogs, as exactly-once requires",
                        dropped);
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

    private static boolean isUnclean(Path path) throws IOException {
        return Files.isDirectory(path) && TASK_DIRECTORY.matcher(path.getFileName().toString()).matches()
                && !Files.exists(path.resolve(CHECKPOINT)) && !storesClosed(path);
    }

    /** Whether the task holds RocksDB stores and every one of them was closed; a store that cannot be read counts as open. */
    private static boolean storesClosed(Path task) throws IOException {
        List<Path> stores;
        try (Stream<Path> paths = Files.walk(task)) {
            stores = paths.filter(path -> Files.isRegularFile(path.resolve(ROCKSDB_CURRENT))).toList();
        }
        for (Path store : stores) {
            try {
                if (!RocksDbStatus.closedCleanly(store)) {
                    return false;
                }
            } catch (RocksDBException e) {
                log.warn("cannot read whether store {} was closed ({}): its task is restored from the changelogs", store, e.getMessage());
                return false;
            }
        }
        return !stores.isEmpty();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
