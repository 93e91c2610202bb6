package io.agentmediator.connect;

import io.agentmediator.connect.local.ConnectWorker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Connect worker with both sinks in a JVM of its own, on this test's classpath, so that a test can kill it the way
 * a crash does: SIGKILL, no shutdown hook, nothing flushed or committed on the way out.
 */
final class ConnectWorkerProcess implements AutoCloseable {

    private static final String RUNNING = "connect worker running";
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Process process;

    private ConnectWorkerProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts a worker whose sinks commit their progress every {@code offsetFlush}, with the connector files'
     * placeholders filled from {@code placeholders}; returns once both connectors are created.
     */
    static ConnectWorkerProcess start(Path dir, String name, String bootstrapServers, Duration offsetFlush,
            Map<String, String> placeholders) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConnectWorkerProcess.class.getName(),
                bootstrapServers, dir.resolve(name + ".offsets").toString(), String.valueOf(offsetFlush.toMillis())));
        placeholders.forEach((key, value) -> command.add(key + "=" + value));
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long giveUpAt = System.nanoTime() + STARTUP.toNanos();
        while (!Files.readString(log).contains(RUNNING)) {
            if (!process.isAlive() || System.nanoTime() - giveUpAt > 0) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("the Connect worker " + name + " did not start; its log:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return new ConnectWorkerProcess(process);
    }

    /** Kills the worker with SIGKILL and waits until it is gone; returns its exit status (137: killed by signal 9). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** Stops the worker as an operator would (SIGTERM), if it still runs. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The worker's JVM: bootstrap servers, offsets file, offset flush interval in ms, then NAME=value placeholders. */
    public static void main(String[] args) throws Exception {
        Map<String, String> placeholders = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            placeholders.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        ConnectWorker worker = ConnectWorker.start(args[0], Path.of(args[1]),
                List.of(ConnectorConfigs.load(ConnectorConfigs.AUDIT, placeholders), ConnectorConfigs.load(ConnectorConfigs.DECISIONS, placeholders)),
                Duration.ofMillis(Long.parseLong(args[2])));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "connect-worker-shutdown"));
        System.out.println(RUNNING);
        stopped.await();
    }
}
