package io.agentmediator.query;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.gate.CurrentPolicy;
import io.agentmediator.gate.GateStores;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /agents/{agentId}/budgets}: spent, reserved and remaining in each of the agent's budget
 * windows now, against the limits of the policy in force, read from {@link GateStores#BUDGET_LEDGERS}
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
        if (agentId == null || !request.path().equals(PREFIX + agentId + SUFFIX)) {
            return Answer.error(404, "expected " + PREFIX + "{agentId}" + SUFFIX);
        }
        return router.route(request, GateStores.BUDGET_LEDGERS, agentId, request.path(), null, partition -> local(agentId, partition));
    }

    private Answer local(String agentId, int partition) {
        Policy inForce = policy.get();
        Optional<AgentProfile> agent = inForce.agent(agentId);
        if (agent.isEmpty()) {
            return Answer.error(404, "agent \"" + agentId + "\" is not in policy " + inForce.version());
        }
        BudgetLedger stored = stores.<BudgetLedger>partition(GateStores.BUDGET_LEDGERS, partition).get(agentId);
        BudgetLedger ledger = stored == null ? new BudgetLedger() : stored;
        Instant now = clock.instant();
        return Answer.ok(new BudgetView(agentId, inForce.version(), now,
                ledger.usage(now, agent.get().budgets(), inForce.defaults().zone()).stream().map(BudgetView.Window::of).toList()));
    }
}
