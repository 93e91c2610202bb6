package io.agentmediator.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.agentmediator.http.Responses;
import java.io.IOException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Serves a {@link Query} over HTTP: GET only; stores that cannot be read right now (a rebalance moves
 * them, the client is starting) answer 503 with why, so a client knows to retry.
 */
final class QueryHandler implements HttpHandler {

    private final Query query;

    QueryHandler(Query query) {
        this.query = query;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!Responses.requireGet(exchange)) {
                return;
            }
            Answer answer;
            try {
                answer = query.answer(Request.of(exchange));
            } catch (InvalidStateStoreException e) {
                answer = Answer.error(503, "stores not readable now (starting or rebalancing); retry: " + e.getMessage());
            }
            answer.send(exchange);
        }
    }
}
