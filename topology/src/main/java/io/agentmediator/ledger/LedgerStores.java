package io.agentmediator.ledger;

import io.agentmediator.budget.BudgetStores;
import io.agentmediator.schema.internal.ResourceHolds;
import io.agentmediator.schema.internal.TaskState;
import io.agentmediator.storage.StateStores;
import io.agentmediator.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The resource ledger's stores, keyed by the id of what is contended for, persistent with
 * changelogs: one partition owns each resource, pool and task, which is what makes a conflict
 * between agents on different partitions visible.
 */
public final class LedgerStores {

    /** (resource, agent, intent) to the agent's intent's holds on the resource. */
    public static final String RESOURCE_HOLDS = "resource-hold-entries";
    /** Resource holds by the time they may be over, for housekeeping. */
    public static final String RESOURCE_PRUNE_INDEX = "resource-prune-index";
    /** Resource id to every hold on it, as versions before one record per hold kept them; converted, never written. */
    public static final String LEGACY_RESOURCE_HOLDS = "resource-holds";
    /** Pools' budgets: balances per (pool, window), open reservations per (pool, intent), and their prune index. */
    public static final BudgetStores POOLS = BudgetStores.POOLS;
    /** Intent id to how it finished and who waits for it. */
    public static final String TASK_STATES = "task-states";
    /** Tasks by when housekeeping is next due to look at them. */
    public static final String TASK_INDEX = "task-prune-index";
    /** (task, agent, intent) to when that intent began to wait for the task: one record per waiter. */
    public static final String TASK_WAITERS = "task-waiters";
    /** Waiters by when their wait is over, for housekeeping. */
    public static final String TASK_WAITER_INDEX = "task-waiter-prune-index";
    /** (task, agent, intent) to when the task's completion told that intent: one record per dependent, kept with the task. */
    public static final String TASK_DEPENDENTS = "task-dependents";

    private LedgerStores() {}

    public static List<StoreBuilder<?>> builders(Topics topics) {
        List<StoreBuilder<?>> stores = new ArrayList<>(List.of(
                StateStores.lasting(RESOURCE_HOLDS, topics.storeSerde(RESOURCE_HOLDS, ResourceHolds.class)),
                StateStores.lasting(RESOURCE_PRUNE_INDEX, Serdes.ByteArray()),
                // Only read, to convert what an older version left; empty once converted.
                StateStores.inFlight(LEGACY_RESOURCE_HOLDS, topics.storeSerde(LEGACY_RESOURCE_HOLDS, ResourceHolds.class)),
                StateStores.lasting(TASK_STATES, topics.storeSerde(TASK_STATES, TaskState.class)),
                StateStores.lasting(TASK_INDEX, Serdes.ByteArray()),
                // Waiters are in flight: each is gone when its task finishes, its intent is decided without it, or its
                // dependency timeout passes.
                StateStores.inFlight(TASK_WAITERS, Serdes.Long()),
                StateStores.inFlight(TASK_WAITER_INDEX, Serdes.ByteArray()),
                // Dependents last as long as their tasks, which last for the case retention after their outcome.
                StateStores.lasting(TASK_DEPENDENTS, Serdes.Long())));
        stores.addAll(POOLS.builders());
        return List.copyOf(stores);
    }

}
