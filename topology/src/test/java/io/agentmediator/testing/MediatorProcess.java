package io.agentmediator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shipped jar's {@code run} as a process of its own, the way operators run it: for tests where a
 * crash, a restart or the record size limits of the real broker matter. Ready means topics exist, the
 * policy is loaded and the streams run: only then may agents send.
 */
public final class MediatorProcess implements AutoCloseable {

    private final Process process;
    private final int httpPort;
    private final File log;
    private long listeningSinceNanos;

    private MediatorProcess(Process process, int httpPort, File log) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts {@code run --config} with {@code settings} (plus a free HTTP port on loopback) and waits until ready. */
    public static MediatorProcess start(Path dir, String name, Map<String, String> settings, String... jvmOptions) throws Exception {
        return start(dir, name, settings, Map.of(), jvmOptions);
    }

    /**
     * As {@link #start(Path, String, Map, String...)}, with {@code environment} added to the process's: the
     * {@code MEDIATOR_*} variables a pod gets from its Secrets.
     */
    public static MediatorProcess start(Path dir, String name, Map<String, String> settings, Map<String, String> environment,
            String... jvmOptions) throws Exception {
        return ready(launch(dir, name, settings, environment, jvmOptions));
    }

    /**
     * Starts {@code run --config} as {@link #start} does but returns at once, while the JVM starts: for
     * tests that kill a mediator during its start-up or restoration.
     */
    public static MediatorProcess launch(Path dir, String name, Map<String, String> settings, String... jvmOptions) throws IOException {
        return launch(dir, name, settings, Map.of(), jvmOptions);
    }

    /** As {@link #launch(Path, String, Map, String...)}, with {@code environment} added to the process's. */
    public static MediatorProcess launch(Path dir, String name, Map<String, String> settings, Map<String, String> environment,
            String... jvmOptions) throws IOException {
        return launch(dir, name, settings, environment, List.of(), jvmOptions);
    }

    /**
     * {@code run --embedded --config} as a developer starts it: a broker and a registry in the process, on the ports
     * {@code environment} names ({@code MEDIATOR_EMBEDDED_PORT}, {@code MEDIATOR_EMBEDDED_REGISTRY_PORT}); waits until ready.
     */
    public static MediatorProcess startEmbedded(Path dir, String name, Map<String, String> settings, Map<String, String> environment)
            throws Exception {
        return ready(launch(dir, name, settings, environment, List.of("--embedded")));
    }

    /**
     * As {@link #start(Path, String, Map, Map, String...)}, waiting up to {@code within} for it to be ready: for an instance
     * that joins while a static member lies dead, whose first join the group holds until that member's session ends.
     */
    public static MediatorProcess startWithin(Duration within, Path dir, String name, Map<String, String> settings,
            Map<String, String> environment, String... jvmOptions) throws Exception {
        return ready(launch(dir, name, settings, environment, jvmOptions), within);
    }

    /** {@code started} once ready; killed if it does not come up, since the caller never gets hold of it to stop it. */
    private static MediatorProcess ready(MediatorProcess started) throws Exception {
        return ready(started, Duration.ofSeconds(90));
    }

    private static MediatorProcess ready(MediatorProcess started, Duration within) throws Exception {
        try {
            started.awaitReady(within);
        } catch (Exception | AssertionError notReady) {
            started.kill();
            throw notReady;
        }
        return started;
    }

    private static MediatorProcess launch(Path dir, String name, Map<String, String> settings, Map<String, String> environment,
            List<String> runOptions, String... jvmOptions) throws IOException {
        int httpPort = freePort();
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.put("http.host", "127.0.0.1");
        all.put("http.port", String.valueOf(httpPort));
        Path config = dir.resolve(name + ".properties");
        Files.writeString(config, all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")) + "\n");
        Path jar = Path.of(System.getProperty("mediator.jar", "target/agent-mediator.jar"));
        assertThat(jar).as("run `mvn package` first: the test starts the shipped jar").exists();
        File log = Path.of("target", name + ".log").toFile();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
        command.addAll(runOptions);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new MediatorProcess(process, httpPort, log);
    }

    /**
     * The settings of a mediator on {@code policyFile} that takes the times of intents, approvals and outcomes
     * from the producer (topics {@code CreateTime}), so that a run compares with a backtest or a replay of the
     * same times.
     */
    public static Map<String, String> keepingProducerTimes(
            String bootstrapServers, String registryUrl, Path policyFile, String applicationId, Path stateDir) {
        return Map.of(
                "bootstrap.servers", bootstrapServers,
                "application.id", applicationId,
                "schema.registry.url", registryUrl,
                "policy.file", policyFile.toString(),
                "state.dir", stateDir.toString(),
                "topic.intents.timestamp.type", "CreateTime",
                "topic.approvals.timestamp.type", "CreateTime",
                "topic.outcomes.timestamp.type", "CreateTime");
    }

    public Process process() {
        return process;
    }

    public File log() {
        return log;
    }

    /**
     * When (test clock, {@link System#nanoTime()}) its HTTP endpoints were first seen answering: the JVM
     * has started, the policy is loaded, the topics exist and the streams are about to start.
     */
    public long listeningSinceNanos() {
        return listeningSinceNanos;
    }

    /** The port of its HTTP endpoints (health, metrics, queries) on loopback. */
    public int httpPort() {
        return httpPort;
    }

    /** The status of {@code GET path} on the mediator's HTTP port; -1 while nothing listens. */
    public int status(String path) throws IOException, InterruptedException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (ConnectException notListening) {
            return -1;
        }
    }

    /** Waits until {@code /health/ready} answers 200; fails if the process dies first or the timeout passes. */
    public void awaitReady(Duration timeout) throws Exception {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - giveUpAt < 0) {
            assertThat(process.isAlive()).as("mediator process died; see " + log).isTrue();
            int ready = status("/health/ready");
            if (ready != -1 && listeningSinceNanos == 0) {
                listeningSinceNanos = System.nanoTime();
            }
            if (ready == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("mediator not ready within " + timeout + "; see " + log);
    }

    /** Waits until its HTTP port answers at all, ready or not; fails if the process dies first or the timeout passes. */
    public void awaitListening(Duration timeout) throws Exception {
        long giveUpAt = System.nanoTime() + timeout.toNanos();
        while (status("/health/live") == -1) {
            assertThat(process.isAlive()).as("the process died at start; see " + log).isTrue();
            assertThat(System.nanoTime() - giveUpAt).as("listening within " + timeout).isNegative();
            Thread.sleep(200);
        }
    }

    /**
     * SIGSTOP: the whole JVM stands still, as in a long GC pause or a node frozen by its hypervisor;
     * its partitions stay its own until the group's session timeout, and nothing it holds is processed.
     */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + name + " " + process.pid()).isZero();
    }

    /** SIGTERM, as {@code kubectl delete pod} or Ctrl-C: an orderly stop; waits until the process has exited. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the mediator did not stop within 90 s of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    /** SIGKILL: no clean shutdown, no last commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
