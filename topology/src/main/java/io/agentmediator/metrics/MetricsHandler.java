package io.agentmediator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.agentmediator.http.Responses;
import java.io.IOException;

/** {@code GET /metrics}: the Prometheus text format, computed at each scrape. */
public final class MetricsHandler implements HttpHandler {

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
                Responses.send(exchange, 200, CONTENT_TYPE, metrics.scrape());
            }
        }
    }
}
