package io.agentmediator.gate;

import io.agentmediator.decision.Verdict;
import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.ratelimit.TokenBucket;
import java.util.List;

/**
 * The gate's answer for one intent and the state it leaves behind.
 *
 * @param verdict   the outcome, tier, reasons and every check
 * @param duplicate the intent id was decided before: answer DUPLICATE, change nothing, write no case file
 * @param decided   the intent id is now decided and must be remembered (false before the duplicate check)
 * @param bucket    the agent's token bucket after this intent, or null when untouched
 * @param ledger    the agent's ledger after this intent, or null when untouched
 * @param budgets   the agent's budget windows as they stand after the decision, for the case file
 * @param waiting   the intent waits for its dependencies: nothing is decided yet, and {@code verdict}
 *                  holds only the checks it passed
 */
public record GateResult(
        Verdict verdict, boolean duplicate, boolean decided, TokenBucket bucket, BudgetLedger ledger, List<WindowUsage> budgets,
        boolean waiting) {

    public GateResult(
            Verdict verdict, boolean duplicate, boolean decided, TokenBucket bucket, BudgetLedger ledger, List<WindowUsage> budgets) {
        this(verdict, duplicate, decided, bucket, ledger, budgets, false);
    }
}
