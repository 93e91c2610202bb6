package io.agentmediator.http;

/** Answers the GETs of one path and everything under it. Runs on an HTTP worker thread; may block briefly. */
@FunctionalInterface
public interface Endpoint {

    Reply answer(HttpCall call);
}
