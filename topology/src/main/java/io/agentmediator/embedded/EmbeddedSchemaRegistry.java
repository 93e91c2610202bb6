package io.agentmediator.embedded;

import com.sun.net.httpserver.HttpServer;
import io.agentmediator.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-memory schema registry served over HTTP with the Confluent REST API ({@link RegistryRestApi}),
 * so that agents in any language can reach the registry of {@code run --embedded}, and the mediator
 * itself reads and registers through it as it would through a real one. Loopback only, no
 * authentication, schemas lost at exit unless kept beside a broker's kept data ({@link #start(int, Path)}):
 * for development, <b>not for production</b>.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    /** The file, in a kept data directory, of the registrations of earlier runs. */
    static final String KEPT_FILE = "embedded-schema-registry.jsonl";

    private final HttpServer server;
    private final ExecutorService executor;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code port} of 127.0.0.1, {@code 0} for any free one.
     *
     * @throws IllegalStateException naming the port when it is taken
     */
    public static EmbeddedSchemaRegistry start(int port) {
        return start(port, null);
    }

    /**
     * As {@link #start(int)}, keeping every registration in {@code keptIn} (the broker's kept data directory) and
     * serving those of earlier runs under their ids: the records kept on the broker name their schemas by them.
     * Null: nothing is kept.
     */
    public static EmbeddedSchemaRegistry start(int port, Path keptIn) {
        InMemorySchemaRegistry schemas = new InMemorySchemaRegistry("embedded registry on port " + port);
        KeptSchemas kept = keptIn == null ? null : KeptSchemas.load(keptIn.resolve(KEPT_FILE), schemas);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(HOST, port), 0);
        } catch (BindException e) {
            throw new IllegalStateException("port " + port + " is in use, so the embedded schema registry cannot listen on it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded schema registry on port " + port, e);
        }
        server.createContext("/", new RegistryRestApi(schemas, kept));
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "embedded-schema-registry");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new EmbeddedSchemaRegistry(server, executor);
    }

    /** The URL clients set as {@code schema.registry.url}, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return "http://" + HOST + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
