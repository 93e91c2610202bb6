package io.agentmediator.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP port of the mediator (health, metrics, queries), on the JDK's server. It starts
 * before the streams, because the port it got is what the instance advertises to the others
 * ({@code application.server}); handlers that need the streams are mounted once those exist.
 */
public final class HttpEndpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoints.class);

    /**
     * Several threads: a query may wait on another instance while that one asks this one, and a slow
     * scrape must not hold up a probe.
     */
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoints(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts listening on host:port (port 0: any free port) with no handlers yet. */
    public static HttpEndpoints start(String host, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            AtomicInteger threads = new AtomicInteger();
            ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
                Thread thread = new Thread(r, "mediator-http-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.start();
            log.info("HTTP endpoints on http://{}:{}/", host, server.getAddress().getPort());
            return new HttpEndpoints(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen for HTTP on " + host + ":" + port, e);
        }
    }

    /** Serves {@code path} and everything under it with {@code handler}. */
    public HttpEndpoints mount(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
