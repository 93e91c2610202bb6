package io.agentmediator.query;

import io.agentmediator.http.Endpoint;
import io.agentmediator.http.HttpCall;
import io.agentmediator.http.Reply;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Serves a {@link Query} over HTTP: a query that cannot be decoded answers 400; stores that cannot be
 * read right now (a rebalance moves them, the client is starting) answer 503 with why and a
 * Retry-After, so a client knows to retry.
 */
final class QueryHandler implements Endpoint {

    private final Query query;

    QueryHandler(Query query) {
        this.query = query;
    }

    @Override
    public Reply answer(HttpCall call) {
        Request request;
        try {
            request = Request.of(call);
        } catch (IllegalArgumentException e) {
            return Answer.error(400, e.getMessage()).reply();
        }
        Answer answer;
        try {
            answer = query.answer(request);
        } catch (InvalidStateStoreException e) {
            answer = Answer.unavailable("stores not readable now (starting or rebalancing); retry: " + e.getMessage());
        }
        return answer.reply();
    }
}
