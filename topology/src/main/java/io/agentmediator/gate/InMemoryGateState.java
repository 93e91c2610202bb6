package io.agentmediator.gate;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.MapBudgetBook;
import io.agentmediator.ratelimit.TokenBucket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The gate's state in plain collections, written back the way {@link AgentGate} writes its stores
 * (decided ids, buckets, ledgers): the decider with state of the shape production has, without
 * RocksDB and serdes, for property tests and benchmarks of the decision alone.
 *
 * <p>Unlike the agent gate it never forgets a budget window: that is the processor's housekeeping,
 * not the decision.
 */
public final class InMemoryGateState implements GateState {

    private final Set<String> decided = new HashSet<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final MapBudgetBook budgets = new MapBudgetBook();

    @Override
    public boolean alreadyDecided(String intentId) {
        return decided.contains(intentId);
    }

    @Override
    public TokenBucket bucket(String agentId) {
        return buckets.get(agentId);
    }

    @Override
    public BudgetLedger ledger(String agentId) {
        return new BudgetLedger(agentId, budgets);
    }

    /** None: the decision alone lets no intent wait, as that is the gate's (nothing is ever parked here). */
    @Override
    public long waiting(String agentId) {
        return 0;
    }

    /** None, for the same reason: nothing is kept here but what the decision itself reads. */
    @Override
    public long keptBytes(String agentId) {
        return 0;
    }

    /** Keeps what the decision changed, as the agent gate does after deciding. */
    public void apply(String intentId, String agentId, GateResult result) {
        if (result.duplicate()) {
            return;
        }
        if (result.decided()) {
            decided.add(intentId);
        }
        if (result.bucket() != null) {
            buckets.put(agentId, result.bucket());
        }
        if (result.ledger() != null) {
            result.ledger().commit();
        }
    }

    /** Forgets everything, as if the gate had never decided anything. */
    public void clear() {
        decided.clear();
        buckets.clear();
        budgets.clear();
    }
}
