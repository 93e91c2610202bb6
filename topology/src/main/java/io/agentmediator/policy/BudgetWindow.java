package io.agentmediator.policy;

/** The calendar period a budget limit applies to, aligned in the policy's zone. */
public enum BudgetWindow {
    HOUR, DAY, WEEK, MONTH
}
