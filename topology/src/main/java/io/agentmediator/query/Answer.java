package io.agentmediator.query;

import io.agentmediator.http.Reply;

/**
 * An HTTP status and a JSON body: what a query answers, locally or relayed from a peer. A 503 says
 * when to retry: the stores are moving between instances, which takes seconds.
 */
record Answer(int status, String json) {

    /** Seconds a client should wait before asking again while stores migrate. */
    static final String RETRY_AFTER_SECONDS = "1";

    static Answer ok(Object value) {
        return new Answer(200, QueryJson.write(value));
    }

    static Answer error(int status, String message) {
        return new Answer(status, QueryJson.error(message));
    }

    /** 503: not answerable here right now (a rebalance is moving the store), but soon. */
    static Answer unavailable(String message) {
        return error(503, message);
    }

    Reply reply() {
        Reply reply = Reply.json(status, json);
        return status == 503 ? reply.withHeader("Retry-After", RETRY_AFTER_SECONDS) : reply;
    }
}
