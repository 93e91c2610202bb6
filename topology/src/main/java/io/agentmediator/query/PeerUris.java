package io.agentmediator.query;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The path and query of a question relayed to a peer, encoded from the decoded values the asking
 * instance read, so that the peer decodes exactly those values again. Every byte of an id in a path
 * but the unreserved characters is percent-encoded: {@code ;} and {@code ?} in an intent id would
 * otherwise end the path at the peer, and {@code /} split it. Query values are form-encoded, which is
 * what {@link Request} decodes.
 */
final class PeerUris {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PeerUris() {}

    /** {@code id} as one path segment: its slashes encoded too. */
    static String segment(String id) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (unreserved(c)) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return encoded.toString();
    }

    /** {@code ?name=value&…} in name order, or empty without parameters. */
    static String query(Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return "";
        }
        StringJoiner query = new StringJoiner("&", "?", "");
        new TreeMap<>(parameters).forEach((name, value) ->
                query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
