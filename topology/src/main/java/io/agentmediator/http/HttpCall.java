package io.agentmediator.http;

import java.util.function.UnaryOperator;

/**
 * A request as an endpoint sees it: a GET of a path with its raw query, its headers by name, and the
 * authenticated caller.
 */
public record HttpCall(String path, String rawQuery, UnaryOperator<String> headers, Caller caller) {

    /** The value of a request header, or null. */
    public String header(String name) {
        return headers.apply(name);
    }
}
