package io.agentmediator.rules;

import io.agentmediator.schema.AgentIntent;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a policy rule may look at when one intent is decided.
 *
 * @param intent  the intent being decided
 * @param agent   the agent that proposes it, as the policy describes it
 * @param budgets the agent's budget windows by window name ({@code HOUR}, {@code DAY}, {@code WEEK},
 *                {@code MONTH}); only the windows the agent has
 * @param now     the decision's clock: the record timestamp (event time), so a replay decides the same way
 */
public record RuleInput(AgentIntent intent, RuleVariables.Agent agent, Map<String, BudgetView> budgets, Instant now) {

    public RuleInput {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(now, "now");
        budgets = budgets == null ? Map.of() : Map.copyOf(budgets);
    }
}
