package io.agentmediator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.agentmediator.http.Responses;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /metrics}: the Prometheus text format, computed at each scrape. */
public final class MetricsHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(MetricsHandler.class);

    /** The version of the text format Prometheus asks for by default. */
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final MediatorMetrics metrics;

    public MetricsHandler(MediatorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (Responses.requireGet(exchange)) {
                String scrape;
                try {
                    scrape = metrics.scrape();
                } catch (RuntimeException e) {
                    // Collectors are guarded one by one; this is the registry itself failing. Said, not an empty reply.
                    log.error("metrics scrape failed", e);
                    Responses.send(exchange, 500, "text/plain; charset=utf-8", "metrics scrape failed: " + e + "\n");
                    return;
                }
                Responses.send(exchange, 200, CONTENT_TYPE, scrape);
            }
        }
    }
}
