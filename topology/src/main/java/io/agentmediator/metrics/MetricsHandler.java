package io.agentmediator.metrics;

import io.agentmediator.http.Access;
import io.agentmediator.http.Endpoint;
import io.agentmediator.http.HttpCall;
import io.agentmediator.http.Reply;
import io.agentmediator.http.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /metrics}: the Prometheus text format, computed at each scrape. */
public final class MetricsHandler implements Endpoint {

    /** Who may scrape, once HTTP tokens are configured: Prometheus and operators. */
    public static final Access ACCESS = Access.anyOf(Role.METRICS, Role.OPERATOR);

    private static final Logger log = LoggerFactory.getLogger(MetricsHandler.class);

    /** The version of the text format Prometheus asks for by default. */
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final MediatorMetrics metrics;

    public MetricsHandler(MediatorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Reply answer(HttpCall call) {
        try {
            return Reply.text(200, CONTENT_TYPE, metrics.scrape());
        } catch (RuntimeException e) {
            // Collectors are guarded one by one; this is the registry itself failing. Said, not an empty reply.
            log.error("metrics scrape failed", e);
            return Reply.text(500, "text/plain; charset=utf-8", "metrics scrape failed: " + e + "\n");
        }
    }
}
