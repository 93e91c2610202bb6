package io.agentmediator.query;

import io.agentmediator.http.HttpCall;
import io.agentmediator.http.Role;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What a query handler needs from a request: its path, its query parameters, whether a peer sent it.
 * A request counts as relayed only when it carries {@link Peers#FORWARDED_HEADER} and its caller
 * authenticated as an instance: anyone else setting the header would otherwise switch off the
 * fan-out of {@code /escalations} or the relaying of a key held elsewhere. The path is as it was sent,
 * percent-encoded: an id holding a slash is one segment ({@code %2F}), decoded by {@link #segmentAfter}.
 */
record Request(String path, Map<String, String> parameters, boolean forwarded) {

    /** @throws IllegalArgumentException if the query is not form-encoded ({@code %} not followed by two hex digits) */
    static Request of(HttpCall call) {
        String rawQuery = call.rawQuery();
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                parameters.put(decode(name), decode(value));
            }
        }
        boolean forwarded = call.header(Peers.FORWARDED_HEADER) != null && call.caller().has(Role.INSTANCE);
        return new Request(call.rawPath(), Map.copyOf(parameters), forwarded);
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the query is not URL-encoded: \"" + encoded + "\" (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The path segment after {@code prefix} up to the next slash, decoded, or null if the path does not start with it.
     *
     * @throws IllegalArgumentException if the segment is not percent-encoded ({@code %} not followed by two hex digits)
     */
    String segmentAfter(String prefix) {
        String raw = rawSegmentAfter(prefix);
        // A path is not a form: a '+' in it is a plus.
        return raw == null ? null : decode(raw.replace("+", "%2B"));
    }

    /** The path segment after {@code prefix} up to the next slash, as sent, or null if the path does not start with it. */
    String rawSegmentAfter(String prefix) {
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return null;
        }
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
