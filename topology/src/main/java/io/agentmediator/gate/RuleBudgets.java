package io.agentmediator.gate;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.rules.BudgetView;
import io.agentmediator.schema.BudgetState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The agent's budget windows as rules read them ({@code budget.DAY} and so on), wherever rules are evaluated. */
final class RuleBudgets {

    private RuleBudgets() {}

    static Map<String, BudgetView> of(List<WindowUsage> budgets) {
        Map<String, BudgetView> views = new LinkedHashMap<>();
        for (WindowUsage usage : budgets) {
            views.put(usage.window().window().name(), new BudgetView(usage.limitMicros(), usage.spentMicros(), usage.reservedMicros()));
        }
        return views;
    }

    /** The agent's windows as a case file recorded them at a decision (its pool's, also there, are not the agent's budget). */
    static Map<String, BudgetView> ofCaseFile(List<BudgetState> budgets, String agentId) {
        Map<String, BudgetView> views = new LinkedHashMap<>();
        for (BudgetState state : budgets) {
            if (state.getScope().equals(CaseFiles.agentScope(agentId))) {
                views.put(state.getWindow(), new BudgetView(state.getLimitMicros(), state.getSpentMicros(), state.getReservedMicros()));
            }
        }
        return views;
    }
}
