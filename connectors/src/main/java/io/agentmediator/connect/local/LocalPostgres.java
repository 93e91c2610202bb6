package io.agentmediator.connect.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server from Debian's {@code postgresql} package: a fresh cluster in a temporary directory,
 * on a free port of 127.0.0.1, trust authentication, one database. {@code initdb} refuses to run as root, which CI
 * is, so as root the cluster belongs to, and runs as, the package's {@code postgres} user. For the SQL demo and the
 * tests, never for keeping an audit trail: {@code fsync} is off and everything is deleted on close.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The database user, which may log in from 127.0.0.1 without a password. */
    public static final String USER = "audit";
    public static final String DATABASE = "audit";
    private static final String SYSTEM_USER = "postgres";
    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");

    private final Path dir;
    private final Path bin;
    private final int port;

    private LocalPostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    public static LocalPostgres start() throws IOException, InterruptedException {
        Path bin = installedBin();
        // Not JUnit's @TempDir: the cluster's owner must be able to reach it, and /tmp lets every user through.
        Path dir = Files.createTempDirectory("audit-sql-pg");
        boolean root = asRoot();
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName(SYSTEM_USER));
        }
        LocalPostgres postgres = new LocalPostgres(dir, bin, freePort());
        postgres.run(root, bin.resolve("initdb").toString(), "-D", postgres.data().toString(), "-U", USER, "--auth=trust",
                "-E", "UTF8", "--locale=C");
        postgres.startServer();
        postgres.run(root, bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", String.valueOf(postgres.port), "-U", USER, DATABASE);
        return postgres;
    }

    /** Starts the server again after {@link #stopServer()}, on the same port and data, as a database restarted by its operator. */
    public void startServer() throws IOException, InterruptedException {
        run(asRoot(), bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Stops the server, closing its clients' connections, and keeps its data for {@link #startServer()}. */
    public void stopServer() throws IOException, InterruptedException {
        run(asRoot(), bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, "");
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void run(boolean asSystemUser, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (asSystemUser) {
            line.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        line.addAll(List.of(command));
        Path log = dir.resolve("commands.log");
        Process process = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", line) + " did not finish in 120 s; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", line) + " failed with exit " + process.exitValue() + ":\n"
                    + Files.readString(log));
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path installedBin() throws IOException {
        if (!Files.isDirectory(INSTALLATIONS)) {
            throw new IllegalStateException("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)");
        }
        try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
            return versions.map(version -> version.resolve("bin")).filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("No initdb under " + INSTALLATIONS));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stopServer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping PostgreSQL in " + dir, e);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
