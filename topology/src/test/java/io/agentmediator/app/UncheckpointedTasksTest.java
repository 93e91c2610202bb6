package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncheckpointedTasksTest {

    @TempDir Path stateDir;
    private Path appDir;

    @BeforeEach
    void givenTheStateOfAKilledInstance() throws Exception {
        // Given a task killed while it worked (no checkpoint), one closed cleanly before, the global stores and the process id
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
        assertThat(UncheckpointedTasks.drop(stateDir, "mediator")).containsExactly("0_0");

        // Then that task's state is gone and everything else is kept
        assertThat(appDir.resolve("0_0")).doesNotExist();
        assertThat(appDir.resolve("1_2/.checkpoint")).exists();
        assertThat(appDir.resolve("global/rocksdb/accepted-policies")).isDirectory();
        assertThat(appDir.resolve("kafka-streams-process-metadata")).exists();
    }

    @Test
    void shouldLeaveTheDirectoryAloneWhileAnotherClientHoldsItsLock() throws Exception {
        // Given the directory locked, as a running client locks it
        try (FileChannel channel = FileChannel.open(appDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            // When another starts on it, Then nothing is dropped
            assertThat(UncheckpointedTasks.drop(stateDir, "mediator")).isEmpty();
            assertThat(appDir.resolve("0_0/rocksdb/budget-balances/000001.sst")).exists();
        }
    }

    @Test
    void shouldDoNothingOnAFirstStart() {
        assertThat(UncheckpointedTasks.drop(stateDir, "never-ran")).isEmpty();
        assertThat(stateDir.resolve("never-ran")).doesNotExist();
    }
}
