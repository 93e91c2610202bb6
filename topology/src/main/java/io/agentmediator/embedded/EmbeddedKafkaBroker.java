package io.agentmediator.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, single-node Apache Kafka broker running inside the current JVM.
 *
 * <p>The node runs in KRaft mode with both roles combined ({@code process.roles=broker,controller},
 * {@code node.id=1}, a static single-voter quorum). It listens on {@code 127.0.0.1} only, on two free
 * ports chosen at start: a {@code PLAINTEXT} listener for clients (see {@link #bootstrapServers()}),
 * or a {@code SASL_PLAINTEXT} one with ACLs enforced ({@link Builder#saslScram}), and a
 * {@code CONTROLLER} listener for the quorum. Internal topics are configured for a single
 * replica, so transactions and therefore Kafka Streams {@code exactly_once_v2} work against it.
 * Topics are never auto-created: applications create what they need.
 *
 * <p>Why in process: the {@code demo} command, {@code run --embedded} and the integration tests need
 * a broker on machines that have neither Docker nor a Kafka installation. The broker is the very
 * {@code kafka_2.13} artifact the application already ships with, started the way
 * {@code kafka-storage.sh format} followed by {@code kafka-server-start.sh} would start it: the
 * storage is formatted with {@link StorageTool}, then a {@link KafkaRaftServer} is started.
 *
 * <p>This is for the embedded default and for tests only, <b>not for production</b>: one node, one
 * replica, plaintext on loopback (SCRAM when asked, to test ACLs), and its lifetime is tied to this JVM (a fatal broker
 * error may halt the JVM, as it would halt a standalone broker).
 *
 * <p>Data lives in a fresh temporary directory that {@link #close()} deletes, unless a directory is
 * given with {@link Builder#dataDir(Path)}; that one is kept on close and reused on the next start.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
 *     props.put("bootstrap.servers", broker.bootstrapServers());
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final int BIND_ATTEMPTS = 3;
    private static final String SCRAM = "SCRAM-SHA-256";

    /** Broker settings this class wires itself; {@link Builder#brokerProperty} may not override them. */
    private static final Set<String> MANAGED_KEYS = Set.of(
            "process.roles",
            "node.id",
            "broker.id",
            "listeners",
            "advertised.listeners",
            "listener.security.protocol.map",
            "controller.listener.names",
            "inter.broker.listener.name",
            "controller.quorum.voters",
            "controller.quorum.bootstrap.servers",
            "log.dir",
            "log.dirs",
            "metadata.log.dir");

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir,
                                boolean deleteDataDirOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
    }

    /**
     * Starts a broker with default settings in a temporary directory, and waits until it serves.
     *
     * @throws IllegalStateException if it is not ready within the default timeout (60 s)
     */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    /** A builder for a broker with a kept data directory, more partitions or extra broker settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:41234}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** What a client of a {@link Builder#saslScram} broker adds to its settings to log in as {@code user}. */
    public static Map<String, String> scramClientSettings(String user, String password) {
        return Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", SCRAM,
                "sasl.jaas.config", new ScramAdmin(user, password).jaas());
    }

    /** The directory holding the broker's logs and metadata ({@code log.dirs}). */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Shuts the broker down, waits for it to stop, and deletes the data directory if it was a
     * temporary one. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long begin = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataDirOnClose) {
                deleteQuietly(dataDir);
            }
        }
        LOG.info("Embedded Kafka broker on {} stopped in {} ms{}", bootstrapServers,
                elapsedMillis(begin), deleteDataDirOnClose ? ", temporary data deleted" : ", data kept in " + dataDir);
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers + ", " + dataDir + "]";
    }

    /** A SCRAM login; its JAAS line as clients and the broker's own listener use it. */
    private record ScramAdmin(String user, String password) {
        String jaas() {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
        }
    }

    /** Options for {@link EmbeddedKafkaBroker}; every one has a default. */
    public static final class Builder {

        private Path dataDir;
        private int clientPort;
        private int numPartitions = 1;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private ScramAdmin scramAdmin;
        private final Map<String, Object> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Keeps the broker's data in this directory (created if missing) instead of a temporary one;
         * it is not deleted on close, and a later start on the same directory finds its topics again.
         */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * The port of the client listener on 127.0.0.1; {@code 0} (the default) for any free one. A
         * fixed port that is taken fails the start naming it, rather than moving elsewhere unseen.
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.clientPort = port;
            return this;
        }

        /** Default partition count of new topics whose creator does not say ({@code num.partitions}); 1 by default. */
        public Builder numPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("numPartitions must be at least 1, was " + partitions);
            }
            this.numPartitions = partitions;
            return this;
        }

        /**
         * Clients must authenticate with SASL/SCRAM-SHA-256 and are authorized by KRaft's
         * {@code StandardAuthorizer}: nothing is allowed that no ACL allows. {@code user} is a super
         * user, created at format time, through whom tests create the other users and their ACLs
         * ({@link #scramClientSettings}). The controller listener stays PLAINTEXT on loopback, its
         * anonymous principal a super user, as the node's own broker half talks to it.
         */
        public Builder saslScram(String user, String password) {
            this.scramAdmin = new ScramAdmin(Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /** How long {@link #start()} waits for the broker to serve; 60 s by default. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * An extra broker setting, applied over the defaults. The node's wiring (roles, node id,
         * listeners, quorum, log directories) is managed here and cannot be overridden.
         */
        public Builder brokerProperty(String key, Object value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (MANAGED_KEYS.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is managed by EmbeddedKafkaBroker and cannot be set");
            }
            brokerProperties.put(key, value);
            return this;
        }

        /** Several extra broker settings; see {@link #brokerProperty(String, Object)}. */
        public Builder brokerProperties(Map<String, ?> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /**
         * Formats the storage if needed, starts the broker and waits until it is ready: registered,
         * unfenced, and answering {@code describeCluster} on its client listener.
         *
         * @throws IllegalStateException if the broker cannot be started or is not ready in time
         */
        public EmbeddedKafkaBroker start() {
            long begin = System.nanoTime();
            long deadline = begin + startupTimeout.toNanos();
            boolean temporary = dataDir == null;
            Path dir = prepareDataDir(temporary);
            try {
                for (int attempt = 1; ; attempt++) {
                    int[] ports = freePorts(2);
                    int listenerPort = this.clientPort == 0 ? ports[0] : requireFree(this.clientPort);
                    int controllerPort = ports[1];
                    Map<String, Object> config = brokerConfig(dir, listenerPort, controllerPort);
                    if (attempt == 1) {
                        format(config, clusterId(dir), scramAdmin);
                    }
                    String bootstrap = HOST + ":" + listenerPort;
                    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
                    try {
                        server.startup();
                        awaitReady(bootstrap, scramAdmin, deadline);
                    } catch (RuntimeException e) {
                        stopQuietly(server);
                        if (attempt < BIND_ATTEMPTS && isBindFailure(e)) {
                            LOG.debug("Port taken between choosing and binding, retrying with new ports", e);
                            continue;
                        }
                        throw e;
                    }
                    LOG.info("Embedded Kafka broker ready in {} ms: clients on {} ({}), controller on {}:{}, "
                                    + "data in {}{}", elapsedMillis(begin), bootstrap, scramAdmin == null ? "PLAINTEXT" : "SASL_PLAINTEXT, SCRAM-SHA-256, ACLs",
                            HOST, controllerPort, dir,
                            temporary ? " (temporary)" : "");
                    return new EmbeddedKafkaBroker(server, bootstrap, dir, temporary);
                }
            } catch (RuntimeException e) {
                if (temporary) {
                    deleteQuietly(dir);
                }
                if (e instanceof IllegalStateException) {
                    throw e;
                }
                throw new IllegalStateException("Embedded Kafka broker failed to start (data dir " + dir + "): " + e, e);
            }
        }

        private Path prepareDataDir(boolean temporary) {
            try {
                return temporary
                        ? Files.createTempDirectory("agent-mediator-kafka-")
                        : Files.createDirectories(dataDir.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the embedded Kafka data directory", e);
            }
        }

        private Map<String, Object> brokerConfig(Path dir, int clientPort, int controllerPort) {
            String protocol = scramAdmin == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
            String client = protocol + "://" + HOST + ":" + clientPort;
            String controller = "CONTROLLER://" + HOST + ":" + controllerPort;
            Map<String, Object> c = new LinkedHashMap<>();
            // Wiring: one node that is both broker and (sole) controller, static quorum, loopback only.
            c.put("process.roles", "broker,controller");
            c.put("node.id", String.valueOf(NODE_ID));
            c.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
            c.put("listeners", client + "," + controller);
            c.put("advertised.listeners", client);
            c.put("listener.security.protocol.map", protocol + ":" + protocol + ",CONTROLLER:PLAINTEXT");
            c.put("controller.listener.names", "CONTROLLER");
            c.put("inter.broker.listener.name", protocol);
            if (scramAdmin != null) {
                c.put("sasl.enabled.mechanisms", SCRAM);
                c.put("sasl.mechanism.inter.broker.protocol", SCRAM);
                c.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", scramAdmin.jaas());
                c.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
                c.put("super.users", "User:" + scramAdmin.user() + ";User:ANONYMOUS");
                c.put("allow.everyone.if.no.acl.found", "false");
            }
            c.put("log.dirs", dir.toString());
            // A single replica everywhere, so internal topics (offsets, transactions) can be created.
            c.put("num.partitions", String.valueOf(numPartitions));
            c.put("default.replication.factor", "1");
            c.put("min.insync.replicas", "1");
            c.put("offsets.topic.replication.factor", "1");
            c.put("offsets.topic.num.partitions", "1");
            c.put("transaction.state.log.replication.factor", "1");
            c.put("transaction.state.log.min.isr", "1");
            c.put("transaction.state.log.num.partitions", "1");
            c.put("share.coordinator.state.topic.replication.factor", "1");
            c.put("share.coordinator.state.topic.min.isr", "1");
            c.put("share.coordinator.state.topic.num.partitions", "1");
            c.put("group.initial.rebalance.delay.ms", "0");
            c.put("auto.create.topics.enable", "false");
            // A modest footprint: few threads, small segments and indexes, a small cleaner buffer
            // (the default allocates 128 MiB of heap up front).
            c.put("num.network.threads", "2");
            c.put("num.io.threads", "2");
            c.put("background.threads", "2");
            c.put("num.recovery.threads.per.data.dir", "1");
            c.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
            c.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
            c.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
            c.put("server.max.startup.time.ms", String.valueOf(startupTimeout.toMillis()));
            c.putAll(brokerProperties);
            return c;
        }
    }

    /**
     * The cluster id a kept data directory was formatted with, or a new one: formatting verifies it
     * even with {@code --ignore-formatted}.
     */
    private static String clusterId(Path dir) {
        Path metaProperties = dir.resolve("meta.properties");
        if (Files.isRegularFile(metaProperties)) {
            Properties meta = new Properties();
            try (InputStream in = Files.newInputStream(metaProperties)) {
                meta.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + metaProperties, e);
            }
            String existing = meta.getProperty("cluster.id");
            if (existing != null && !existing.isBlank()) {
                return existing;
            }
        }
        return Uuid.randomUuid().toString();
    }

    /** Formats the log directory like {@code kafka-storage.sh format}, skipping it if already formatted. */
    private static void format(Map<String, Object> config, String clusterId, ScramAdmin scramAdmin) {
        Path configFile = null;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            configFile = Files.createTempFile("agent-mediator-kafka-", ".properties");
            Properties properties = new Properties();
            config.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
            try (OutputStream out = Files.newOutputStream(configFile)) {
                properties.store(out, "embedded Kafka broker, used for formatting only");
            }
            List<String> args = new ArrayList<>(List.of("format", "--config", configFile.toString(), "--cluster-id", clusterId,
                    "--ignore-formatted"));
            if (scramAdmin != null) {
                args.addAll(List.of("--add-scram", SCRAM + "=[name=" + scramAdmin.user() + ",password=" + scramAdmin.password() + "]"));
            }
            int exitCode;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                exitCode = StorageTool.execute(args.toArray(String[]::new), print);
            }
            String printed = output.toString(StandardCharsets.UTF_8).trim();
            if (exitCode != 0) {
                throw new IllegalStateException("Formatting the embedded Kafka storage failed (exit code "
                        + exitCode + "): " + printed);
            }
            LOG.debug("Formatted embedded Kafka storage: {}", printed);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the embedded Kafka configuration", e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) { // FormatterException, TerseFailure
            throw new IllegalStateException("Formatting the embedded Kafka storage failed: " + e.getMessage()
                    + " " + output.toString(StandardCharsets.UTF_8).trim(), e);
        } finally {
            if (configFile != null) {
                deleteQuietly(configFile);
            }
        }
    }

    /** Polls the client listener until node 1 is listed and unfenced, or the deadline passes. */
    private static void awaitReady(String bootstrap, ScramAdmin scramAdmin, long deadline) {
        Map<String, Object> adminConfig = new LinkedHashMap<>(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
        if (scramAdmin != null) {
            adminConfig.putAll(scramClientSettings(scramAdmin.user(), scramAdmin.password()));
        }
        Throwable lastError = null;
        String lastSeen = "nothing yet";
        try (Admin admin = Admin.create(adminConfig)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions()
                                    .includeFencedBrokers(true)
                                    .timeoutMs(5_000))
                            .nodes()
                            .get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
                    if (nodes.stream().anyMatch(node -> node.id() == NODE_ID && !node.isFenced())) {
                        return;
                    }
                    lastSeen = "nodes " + nodes;
                } catch (ExecutionException e) {
                    lastError = e.getCause();
                } catch (java.util.concurrent.TimeoutException e) {
                    lastError = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
                }
                sleep(100);
            }
        }
        throw new IllegalStateException("Embedded Kafka broker on " + bootstrap + " was not ready (node " + NODE_ID
                + " registered and unfenced) before the startup timeout; last seen: " + lastSeen, lastError);
    }

    /** Reserves free loopback ports by binding them at once (so they differ), then releases them. */
    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 0, InetAddress.getByName(HOST));
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find free ports on " + HOST, e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // nothing to do
                    }
                }
            }
        }
    }

    /** {@code port} if nothing listens on it; the broker's own bind failure would name neither the port nor the fix. */
    private static int requireFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + HOST + " is in use, so the embedded Kafka broker cannot listen on it", e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("failed to bind"))) {
                return true;
            }
        }
        return false;
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error while stopping an embedded Kafka broker that failed to start", e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Utils.delete(path.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete {}", path, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static long elapsedMillis(long beginNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beginNanos);
    }
}
