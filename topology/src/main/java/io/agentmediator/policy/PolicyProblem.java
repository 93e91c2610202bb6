package io.agentmediator.policy;

import java.util.Objects;

/**
 * One thing wrong with a policy, with its place, so an author can go straight to it.
 *
 * @param source  where the policy came from: a file name, or {@code PolicyDocument} for a record
 * @param path    the value's place in the document, e.g. {@code agents[1].budgets[0].window}; empty for
 *                the document as a whole
 * @param line    1-based line in the source, 0 when unknown (a policy record has no lines)
 * @param column  1-based column in the source, 0 when unknown
 * @param message what is wrong, and where cheap, what would be right
 */
public record PolicyProblem(String source, String path, int line, int column, String message) {

    public PolicyProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code policy.yaml:23:18: agents[1].budgets[0].window: unknown window "YEAR" (...)}, like a compiler. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line);
            if (column > 0) {
                text.append(':').append(column);
            }
        }
        text.append(": ");
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(message).toString();
    }
}
