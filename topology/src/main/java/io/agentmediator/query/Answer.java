package io.agentmediator.query;

import com.sun.net.httpserver.HttpExchange;
import io.agentmediator.http.Responses;
import java.io.IOException;

/** An HTTP status and a JSON body: what a query answers, locally or relayed from a peer. */
record Answer(int status, String json) {

    static Answer ok(Object value) {
        return new Answer(200, QueryJson.write(value));
    }

    static Answer error(int status, String message) {
        return new Answer(status, QueryJson.error(message));
    }

    void send(HttpExchange exchange) throws IOException {
        Responses.json(exchange, status, json);
    }
}
