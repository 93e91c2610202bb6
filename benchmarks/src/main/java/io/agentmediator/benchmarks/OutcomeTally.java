package io.agentmediator.benchmarks;

import io.agentmediator.schema.DecisionOutcome;

/**
 * How many decisions of each outcome one benchmark invocation made, and how many records went to
 * the dead-letter topic. Each benchmark returns it, so JMH consumes the work and the tests can
 * check that an invocation decided what the mix is meant to provoke.
 */
public final class OutcomeTally {

    private final int[] byOutcome = new int[DecisionOutcome.values().length];
    private int deadLetters;

    void add(DecisionOutcome outcome, int count) {
        byOutcome[outcome.ordinal()] += count;
    }

    void addDeadLetters(int count) {
        deadLetters += count;
    }

    public int count(DecisionOutcome outcome) {
        return byOutcome[outcome.ordinal()];
    }

    /** Decisions of every outcome. */
    public int decisions() {
        int total = 0;
        for (int count : byOutcome) {
            total += count;
        }
        return total;
    }

    public int deadLetters() {
        return deadLetters;
    }

    @Override
    public String toString() {
        return "execute=" + count(DecisionOutcome.EXECUTE) + " escalate=" + count(DecisionOutcome.ESCALATE)
                + " reject=" + count(DecisionOutcome.REJECT) + " dlq=" + deadLetters;
    }
}
