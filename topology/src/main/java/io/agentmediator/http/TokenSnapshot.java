package io.agentmediator.http;

import java.nio.file.Path;
import java.util.Map;

/**
 * The tokens of every role as the files said at one moment, and the token this instance presents to
 * the others (the first of the instance file, so a rotation puts the new one first).
 */
record TokenSnapshot(BearerTokens tokens, String instanceToken) {

    /** Refuses, naming the file, any file {@link BearerTokens#tokensIn} refuses. */
    static TokenSnapshot read(Map<Role, Path> files) {
        String instanceToken = BearerTokens.tokensIn(Role.INSTANCE, files.get(Role.INSTANCE)).get(0);
        return new TokenSnapshot(BearerTokens.read(files), instanceToken);
    }
}
