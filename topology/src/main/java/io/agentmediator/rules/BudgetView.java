package io.agentmediator.rules;

/**
 * The state of one budget window as a rule sees it, in integer micro-units: the limit, what has been
 * spent and what is reserved by undecided or unanswered intents. The budget component supplies one per
 * window the agent has; rules read it as {@code budget.DAY} and so on.
 */
public record BudgetView(long limitMicros, long spentMicros, long reservedMicros) {

    /** What is left; negative when actual costs reconciled after the fact overran the limit. */
    public long remainingMicros() {
        return limitMicros - spentMicros - reservedMicros;
    }

    /**
     * The share of the limit spent or reserved, 0 upwards; above 1 after an overrun. A zero limit counts as
     * fully used, since nothing more may be spent in it.
     */
    public double utilisation() {
        if (limitMicros == 0) {
            return 1.0;
        }
        return (double) (spentMicros + reservedMicros) / limitMicros;
    }
}
