package io.agentmediator.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.embedded.EmbeddedKafkaBroker;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The embedded KRaft broker in a JVM of its own, so that a test can SIGKILL it as a node is lost,
 * and start it again on the same port and log directory as the node coming back: the mediator and
 * the test's clients keep the one bootstrap address throughout. In process, a broker can only be
 * closed, which flushes and shuts down in order; a kill leaves unflushed segments and open
 * transactions for the restart to recover, as a lost node does.
 */
final class BrokerProcess implements AutoCloseable {

    /** The line the child prints once its broker answers; the parent waits for it. */
    private static final String READY = "chaos-broker ready on ";

    private final int port;
    private final Path dataDir;
    private final int partitions;
    private final Path logDir;
    private Process process;
    private int starts;

    private BrokerProcess(int port, Path dataDir, int partitions, Path logDir) {
        this.port = port;
        this.dataDir = dataDir;
        this.partitions = partitions;
        this.logDir = logDir;
    }

    /** Starts a broker on {@code port} with its log in {@code dataDir}, and waits until it answers. */
    static BrokerProcess start(int port, Path dataDir, int partitions, Path logDir) throws Exception {
        BrokerProcess broker = new BrokerProcess(port, dataDir, partitions, logDir);
        broker.restart();
        return broker;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: no flush, no controlled shutdown. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Starts the broker again on the same port and data, and waits until it answers. */
    void restart() throws Exception {
        starts++;
        File log = logDir.resolve("chaos-broker-" + starts + ".log").toFile();
        // Failsafe runs tests from a manifest-only jar; the real test class path is in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", classPath, BrokerProcess.class.getName(), String.valueOf(port), dataDir.toString(), String.valueOf(partitions));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        awaitReady(log, Duration.ofSeconds(120));
    }

    private void awaitReady(File log, Duration timeout) throws IOException, InterruptedException {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - giveUpAt < 0) {
            assertThat(process.isAlive()).as("broker process died; see " + log).isTrue();
            if (Files.readString(log.toPath()).contains(READY)) {
                return;
            }
            Thread.sleep(100);
        }
        kill();
        throw new AssertionError("broker not ready within " + timeout + "; see " + log);
    }

    /** SIGKILL as {@link #kill}, waiting without an interruption to handle, as try-with-resources wants. */
    @Override
    public void close() {
        process.destroyForcibly().onExit().join();
    }

    /** The child: {@code PORT DATA_DIR PARTITIONS}; runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .port(Integer.parseInt(args[0]))
                .dataDir(Path.of(args[1]))
                .numPartitions(Integer.parseInt(args[2]))
                .start();
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
