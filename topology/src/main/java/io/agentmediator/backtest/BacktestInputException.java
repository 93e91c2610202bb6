package io.agentmediator.backtest;

/**
 * A line of a backtest file that cannot be played: not JSON, not an event, out of time order, or
 * an event the topology does not read. The message starts with {@code line N: } so a policy author
 * can go straight to it.
 */
public final class BacktestInputException extends RuntimeException {

    private final int line;

    public BacktestInputException(int line, String problem) {
        this(line, problem, null);
    }

    public BacktestInputException(int line, String problem, Throwable cause) {
        super("line " + line + ": " + problem, cause);
        this.line = line;
    }

    /** The 1-based line of the file. */
    public int line() {
        return line;
    }
}
