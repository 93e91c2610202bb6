package io.agentmediator.app;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Under exactly-once a task's local state is only trusted with a checkpoint, which Kafka Streams writes
 * when it closes the task cleanly and deletes once it works on it again. After a kill every task
 * directory lacks one, and Kafka Streams, finding the stores not empty, opens each of them, declares
 * the task corrupted, closes it dirty, wipes it and rebalances before restoring: on a small machine
 * that cycle took 30 s of the restart. Deleting those directories before the client starts leads to
 * the same restoration from the changelogs without the cycle. Directories with a checkpoint, the
 * global stores and the process id (which names the transactional producer, so the new one fences the
 * old one's open transaction at once) are kept.
 */
final class UncheckpointedTasks {

    private static final Logger log = LoggerFactory.getLogger(UncheckpointedTasks.class);
    /** A task directory: subtopology and partition, as Kafka Streams names it. */
    private static final Pattern TASK_DIRECTORY = Pattern.compile("\\d+_\\d+");
    private static final String CHECKPOINT = ".checkpoint";
    /** The file Kafka Streams locks while a client uses the application's state directory. */
    private static final String LOCK = ".lock";

    private UncheckpointedTasks() {}

    /**
     * Deletes the task directories without a checkpoint under {@code stateDir/applicationId}; does
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
            try (Stream<Path> children = Files.list(appDir)) {
                for (Path task : children.filter(UncheckpointedTasks::isTaskWithoutCheckpoint).sorted().toList()) {
                    deleteTree(task);
                    dropped.add(task.getFileName().toString());
                }
            }
            if (!dropped.isEmpty()) {
                log.warn("tasks {} stopped uncleanly (no checkpoint): their stores are restored from the changelogs, as exactly-once requires",
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

    private static boolean isTaskWithoutCheckpoint(Path path) {
        return Files.isDirectory(path) && TASK_DIRECTORY.matcher(path.getFileName().toString()).matches()
                && !Files.exists(path.resolve(CHECKPOINT));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
