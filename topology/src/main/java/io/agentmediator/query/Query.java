package io.agentmediator.query;

/** One kind of question the HTTP queries answer. */
@FunctionalInterface
interface Query {

    Answer answer(Request request);
}
