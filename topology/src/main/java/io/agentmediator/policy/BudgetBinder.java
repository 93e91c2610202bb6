package io.agentmediator.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds budget lists, which agents and shared pools write alike, and the pools themselves. */
final class BudgetBinder {

    static final List<String> BUDGET_KEYS = List.of("window", "limitMicros", "warnAt");
    static final List<String> POOL_KEYS = List.of("id", "budgets");

    private final Problems problems;

    BudgetBinder(Problems problems) {
        this.problems = problems;
    }

    /**
     * The pools listed under {@code pools}, by id. Every id goes into {@code poolIds}, also those of
     * broken pools, so an agent naming one is not reported a second time.
     */
    Map<String, BudgetPool> pools(Fields document, UniqueIds poolIds) {
        Map<String, BudgetPool> pools = new LinkedHashMap<>();
        for (PolicyNode item : document.sequence("pools")) {
            Fields pool = Fields.of(item, problems, POOL_KEYS);
            if (pool == null) {
                continue;
            }
            int before = problems.count();
            String id = pool.requiredString("id");
            if (id != null) {
                poolIds.add(id, pool.node("id"));
            }
            List<BudgetLimit> budgets = budgets(pool);
            if (problems.count() == before) {
                pools.put(id, new BudgetPool(id, budgets));
            }
        }
        return pools;
    }

    /** The budgets under {@code owner}'s {@code budgets} key; null when any is wrong (reported). */
    List<BudgetLimit> budgets(Fields owner) {
        int before = problems.count();
        UniqueIds windows = new UniqueIds(problems, "budget window");
        List<BudgetLimit> budgets = new ArrayList<>();
        for (PolicyNode item : owner.sequence("budgets")) {
            Fields budget = Fields.of(item, problems, BUDGET_KEYS);
            if (budget != null) {
                BudgetWindow window = budget.requiredEnum("window", BudgetWindow.class, "window");
                if (window != null) {
                    windows.add(window.name(), budget.node("window"));
                }
                Long limit = budget.requiredAmount("limitMicros");
                Double warnAt = warnAt(budget);
                if (window != null && limit != null) {
                    budgets.add(new BudgetLimit(window, limit, warnAt));
                }
            }
        }
        return problems.count() == before ? budgets : null;
    }

    private Double warnAt(Fields budget) {
        Double warnAt = budget.number("warnAt");
        if (warnAt != null && !(warnAt > 0 && warnAt <= 1)) {
            budget.problem("warnAt",
                    "must be a share of the limit above 0 and at most 1 (0.8 is 80 %), found " + warnAt);
        }
        return warnAt;
    }
}
