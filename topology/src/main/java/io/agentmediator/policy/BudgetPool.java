package io.agentmediator.policy;

import java.util.List;
import java.util.Objects;

/** A budget shared by several agents (a team, a department); each member's costs are charged to it too. */
public record BudgetPool(String id, List<BudgetLimit> budgets) {

    public BudgetPool {
        Objects.requireNonNull(id, "id");
        budgets = Immutables.list(budgets);
    }
}
