package io.agentmediator.budget;

/**
 * Reads the budget state of every scope (an agent, or a shared pool): one balance per scope and
 * calendar window, one record per open reservation. Nothing here grows with the number of intents.
 */
public interface BudgetReader {

    /** What the scope has used in the window, or null when nothing was ever charged to it (or it was pruned). */
    WindowBalance balance(String scope, String windowKey);

    /** The intent's open reservation in the scope, or null when it holds none. */
    Reservation reservation(String scope, String intentId);
}
