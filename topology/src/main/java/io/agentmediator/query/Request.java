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
 * fan-out of {@code /escalations} or the relaying of a key held elsewhere.
 */
record Request(String path, String rawQuery, Map<String, String> parameters, boolean forwarded) {

    static Request of(HttpCall call) {
        String rawQuery = call.rawQuery();
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        boolean forwarded = call.header(Peers.FORWARDED_HEADER) != null && call.caller().has(Role.INSTANCE);
        return new Request(call.path(), rawQuery, Map.copyOf(parameters), forwarded);
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
