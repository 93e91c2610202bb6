package io.agentmediator.http;

import java.util.Locale;

/**
 * Who may ask what over HTTP. A bearer token carries the roles of every token file that lists it;
 * {@code /health/*} needs none.
 */
public enum Role {
    /** Prometheus: {@code /metrics}. */
    METRICS,
    /** People answering escalations: the queries (case files, escalations, budgets, owners). */
    APPROVER,
    /** The platform team: the queries and {@code /metrics}. */
    OPERATOR,
    /** Another instance of the mediator relaying a query; only its forwarding header is honoured. */
    INSTANCE;

    /** The name used in config keys and logs, e.g. {@code approver}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
