package io.agentmediator.http;

import java.util.function.UnaryOperator;

/**
 * A request as an endpoint sees it: a GET of a path, decoded (for what is said about it) and as sent (where an encoded
 * {@code /} inside an id is not a separator), with its raw query, its headers by name, and the authenticated caller.
 */
public record HttpCall(String path, String rawPath, String rawQuery, UnaryOperator<String> headers, Caller caller) {

    /** The value of a request header, or null. */
    public String header(String name) {
        return headers.apply(name);
    }
}
