package io.agentmediator.testing;

import io.agentmediator.serde.AvroSerde;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;

/**
 * A real schema registry for integration tests: Apicurio Registry 2.4.2.Final, started as a child
 * JVM from the runner that the {@code schemas/apicurio-runner} module builds
 * ({@code target/quarkus-app/quarkus-run.jar}), serving the Confluent-compatible API at
 * {@link #ccompatUrl()}.
 *
 * <p>Why it exists: there is no Docker here, so no Testcontainers image of Confluent's registry;
 * and a registry we wrote ourselves (or a mock) would only agree with our own client about the
 * protocol. This one is a real, independently written implementation of the Confluent REST API,
 * so our serdes and registry client are tested against someone else's idea of it.
 *
 * <p>The registry keeps everything in memory (H2), has no auth, and listens on a free port on
 * 127.0.0.1 only. Start-up takes about 2-3 s. Its output goes to
 * {@code target/apicurio-registry-<port>.log} under the working directory; when start-up fails
 * the exception carries the tail of that log.
 *
 * <p>Differences from Confluent's registry worth knowing when writing assertions:
 * <ul>
 *   <li>ids are content ids, starting at 1 and shared across subjects, as in Confluent; but a
 *       schema that differs only in whitespace gets a new id and a new version (Confluent
 *       canonicalises it to the same one).</li>
 *   <li>unknown id: 404 with {@code error_code} 40403, as in Confluent; unknown subject 40401,
 *       unknown version 40402. Looking up ({@code POST /subjects/{s}}) a schema that is not
 *       registered under an existing subject answers 40401, where Confluent answers 40403.</li>
 *   <li>incompatible schema: 409 with {@code error_code} 0 (Confluent: 409). The
 *       compatibility check answers {@code is_compatible} and a {@code reason} string, not
 *       {@code messages}.</li>
 *   <li>{@code schemaType} is not a hint: the type is detected from the content and must agree
 *       with it (else 422/42201). A JSON Schema needs e.g. a {@code $schema} key to be detected.</li>
 *   <li>compatibility BACKWARD is enforced by default (set in the runner, as in Confluent), yet
 *       {@code GET /config} answers NONE until a level is PUT.</li>
 * </ul>
 */
public final class ApicurioRegistry implements AutoCloseable {

    /** System property naming the runner jar; failsafe sets it. */
    public static final String JAR_PROPERTY = "apicurio.runner.jar";

    /** Where the runner is, seen from the topology module (failsafe's working directory). */
    static final String DEFAULT_JAR = "../schemas/apicurio-runner/target/quarkus-app/quarkus-run.jar";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 60;
    /** The child gets only these variables: Apicurio reads many others (REGISTRY_*, QUARKUS_*...). */
    private static final Set<String> INHERITED_ENV = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR");

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;
    private boolean closed;

    private ApicurioRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        // If a test forgets close() or the JVM is torn down, do not leave a registry behind.
        this.shutdownHook = new Thread(() -> destroy(process), "apicurio-registry-" + port + "-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a registry from the jar named by {@value #JAR_PROPERTY}, or {@value #DEFAULT_JAR},
     * and waits until its ccompat API answers.
     */
    public static ApicurioRegistry start() throws IOException, InterruptedException {
        String configured = System.getProperty(JAR_PROPERTY);
        Path jar = Path.of(configured == null || configured.isBlank() ? DEFAULT_JAR : configured);
        return start(jar, Path.of("target"));
    }

    /** Starts a registry from {@code runnerJar}, writing its log into {@code logDir}. */
    public static ApicurioRegistry start(Path runnerJar, Path logDir) throws IOException, InterruptedException {
        Path jar = runnerJar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Apicurio runner jar not found: " + jar
                    + " (build it: mvn -B -pl schemas/apicurio-runner -am package; or set -D" + JAR_PROPERTY + ")");
        }
        Files.createDirectories(logDir);
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            Path log = logDir.resolve("apicurio-registry-" + port + ".log").toAbsolutePath();
            Process process = launch(jar, port, log);
            try {
                awaitReady(process, port, log);
                return new ApicurioRegistry(process, port, log);
            } catch (IllegalStateException e) {
                destroy(process);
                last = e;
                // The free port can be taken between our probe and the registry's bind: retry then only.
                if (!portWasTaken(log)) {
                    throw e;
                }
            } catch (InterruptedException | RuntimeException e) {
                destroy(process);
                throw e;
            }
        }
        throw last;
    }

    /** The base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return baseUrl(port) + "/apis/ccompat/v7";
    }

    /** A value serde of {@code type} in the Confluent wire format, registering and reading through this registry. */
    public <T extends SpecificRecord> AvroSerde<T> serde(Class<T> type) {
        AvroSerde<T> serde = new AvroSerde<>(type);
        serde.configure(Map.of("schema.registry.url", ccompatUrl()), false);
        return serde;
    }

    public int port() {
        return port;
    }

    /** The registry's combined stdout/stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the registry (and anything it started) and waits for it to exit. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        destroy(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run; nothing left to do.
        }
    }

    @Override
    public String toString() {
        return "ApicurioRegistry[" + ccompatUrl() + ", pid " + process.pid() + ", log " + logFile + "]";
    }

    static List<String> command(Path jar, int port) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    private static Process launch(Path jar, int port, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(jar, port))
                // Quarkus also reads ./config/application.properties and ./.env: use a directory we know.
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().retainAll(INHERITED_ENV);
        return builder.start();
    }

    private static void awaitReady(Process process, int port, Path log) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI probe = URI.create(baseUrl(port) + "/apis/ccompat/v7/subjects");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String lastAnswer = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio registry exited with status " + process.exitValue()
                        + " before it was ready on port " + port + "; log " + log + ":\n" + tail(log));
            }
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (ConnectException notListeningYet) {
                lastAnswer = "connection refused";
            } catch (IOException e) {
                lastAnswer = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Apicurio registry not ready on port " + port + " within " + START_TIMEOUT
                + " (last probe: " + lastAnswer + "); log " + log + ":\n" + tail(log));
    }

    private static boolean portWasTaken(Path log) {
        String tail = tail(log);
        // Quarkus 2.16 says "Port NNNN seems to be in use by another process".
        return tail.contains("seems to be in use") || tail.contains("Address already in use");
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String javaExecutable() {
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(fromHome)) {
            return fromHome.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String baseUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    private static String tail(Path log) {
        try {
            // Decoded leniently: a broken byte must not hide the log.
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
