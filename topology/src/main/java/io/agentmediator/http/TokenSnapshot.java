package io.agentmediator.http;

/**
 * The tokens of every role as the files said at one moment, and the token this instance presents to
 * the others (the first of the instance file, so a rotation puts the new one first).
 */
record TokenSnapshot(BearerTokens tokens, String instanceToken) {
}
