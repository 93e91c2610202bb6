package io.agentmediator.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** What an endpoint answers: a status, a body of a content type, and extra headers (Retry-After, ...). */
public record Reply(int status, String contentType, String body, Map<String, String> headers) {

    private static final String JSON = "application/json";

    public static Reply json(int status, String body) {
        return new Reply(status, JSON, body, Map.of());
    }

    public static Reply text(int status, String contentType, String body) {
        return new Reply(status, contentType, body, Map.of());
    }

    /** The same reply with one more header. */
    public Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, Map.copyOf(more));
    }
}
