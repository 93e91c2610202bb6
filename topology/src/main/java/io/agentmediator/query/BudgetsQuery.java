package io.agentmediator.query;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.StoredBalances;
import io.agentmediator.budget.WindowBalance;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.partition.GateStores;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /agents/{agentId}/budgets}: spent, reserved and remaining in each of the agent's budget
 * windows now, against the limits of the policy in force, read from {@link GateStores#BUDGETS}' balances
 * in the agent's partition (on whichever instance is active for it). 404 for an agent the policy does
 * not have.
 */
final class BudgetsQuery implements Query {

    static final String PREFIX = "/agents/";
    private static final String SUFFIX = "/budgets";

    private final KeyRouter router;
    private final LocalStores stores;
    private final CurrentPolicy policy;
    private final Clock clock;

    BudgetsQuery(KeyRouter router, LocalStores stores, CurrentPolicy policy, Clock clock) {
        this.router = router;
        this.stores = stores;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public Answer answer(Request request) {
        String agentId = request.segmentAfter(PREFIX);
        if (agentId == null || !request.path().equals(PREFIX + request.rawSegmentAfter(PREFIX) + SUFFIX)) {
            return Answer.error(404, "expected " + PREFIX + "{agentId}" + SUFFIX);
        }
        return router.route(request, GateStores.BUDGETS.balances(), agentId, request.path(), Map.of(), partition -> local(agentId, partition));
    }

    private Answer local(String agentId, int partition) {
        Policy inForce = policy.get();
        Optional<AgentProfile> agent = inForce.agent(agentId);
        if (agent.isEmpty()) {
            return Answer.error(404, "agent \"" + agentId + "\" is not in policy " + inForce.version());
        }
        StoredBalances balances = new StoredBalances(stores.<WindowBalance>partition(GateStores.BUDGETS.balances(), partition)::get);
        Instant now = clock.instant();
        return Answer.ok(new BudgetView(agentId, inForce.version(), now,
                BudgetLedger.usage(balances, agentId, now, agent.get().budgets(), inForce.defaults().zone()).stream()
                        .map(BudgetView.Window::of).toList()));
    }
}
