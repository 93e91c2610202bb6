package io.agentmediator.ledger;

import io.agentmediator.budget.BudgetLedgerSerde;
import io.agentmediator.schema.internal.ResourceHolds;
import io.agentmediator.schema.internal.TaskState;
import io.agentmediator.topics.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The resource ledger's stores, keyed by the id of what is contended for, persistent with
 * changelogs: one partition owns each resource, pool and task, which is what makes a conflict
 * between agents on different partitions visible.
 */
public final class LedgerStores {

    /** Resource id to every hold on it. */
    public static final String RESOURCE_HOLDS = "resource-holds";
    /** Pool id to the pool's budget ledger: its windows and the reservations of its members' intents. */
    public static final String POOL_LEDGERS = "pool-ledgers";
    /** Intent id to how it finished and who waits for it. */
    public static final String TASK_STATES = "task-states";

    private LedgerStores() {}

    public static List<StoreBuilder<?>> builders(Topics topics) {
        return List.of(
                store(RESOURCE_HOLDS, topics.internalSerde(ResourceHolds.class)),
                store(POOL_LEDGERS, new BudgetLedgerSerde()),
                store(TASK_STATES, topics.internalSerde(TaskState.class)));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }

}
