package io.agentmediator.query;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** What a query handler needs from a request: its path, its query parameters, whether a peer sent it. */
record Request(String path, String rawQuery, Map<String, String> parameters, boolean forwarded) {

    static Request of(HttpExchange exchange) {
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        boolean forwarded = exchange.getRequestHeaders().containsKey(Peers.FORWARDED_HEADER);
        return new Request(exchange.getRequestURI().getPath(), rawQuery, Map.copyOf(parameters), forwarded);
    }

    /** The query in decoded form, as {@link java.net.URI}'s multi-argument constructors want it; null if none. */
    String decodedQuery() {
        return rawQuery == null ? null : URLDecoder.decode(rawQuery, StandardCharsets.UTF_8);
    }

    /** The path segment after {@code prefix} up to the next slash, or null if the path does not start with it. */
    String segmentAfter(String prefix) {
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            return null;
        }
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
