package io.agentmediator.json;

/**
 * JSON a person wrote that cannot become the record it describes, with the place of the mistake
 * (for example {@code intent.claims[0].from}) so the author can go straight to it.
 */
public final class JsonInputException extends RuntimeException {

    private final String path;
    private final String problem;

    /**
     * @param path    the value's place in its document, such as {@code claims[0].from}; empty for the
     *                document as a whole
     * @param problem what is wrong with it
     */
    public JsonInputException(String path, String problem) {
        this(path, problem, null);
    }

    /** As {@link #JsonInputException(String, String)}, keeping the parser's own exception as the cause. */
    public JsonInputException(String path, String problem, Throwable cause) {
        super(path.isEmpty() ? problem : path + ": " + problem, cause);
        this.path = path;
        this.problem = problem;
    }

    public String path() {
        return path;
    }

    public String problem() {
        return problem;
    }
}
