package io.agentmediator.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /health/live} and {@code /health/ready} for Kubernetes probes: 200 when healthy,
 * 503 otherwise, with a small JSON body naming every problem so an operator reading the probe
 * output learns why (streams not running, no policy, schema registry unavailable).
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts listening on host:port (port 0: any free port). */
    public static HealthServer start(String host, int port, HealthState health) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext("/health/live", exchange -> answer(exchange, health.live(), health.live() ? List.of() : health.problems()));
            server.createContext("/health/ready", exchange -> answer(exchange, health.ready(), health.problems()));
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "mediator-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.start();
            log.info("health endpoints on http://{}:{}/health/ready", host, server.getAddress().getPort());
            return new HealthServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen for health checks on " + host + ":" + port, e);
        }
    }

    private static void answer(HttpExchange exchange, boolean healthy, List<String> problems) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = json(healthy, problems).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(healthy ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String json(boolean healthy, List<String> problems) {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(healthy ? "UP" : "DOWN").append("\",\"problems\":[");
        for (int i = 0; i < problems.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(escape(problems.get(i))).append('"');
        }
        return json.append("]}").toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
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
