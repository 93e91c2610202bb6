package io.agentmediator.gate;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.BudgetLedgerSerde;
import io.agentmediator.ratelimit.TokenBucket;
import io.agentmediator.ratelimit.TokenBucketSerde;
import io.agentmediator.schema.AuditRecord;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The agent gate's stores: persistent (RocksDB) with changelogs, so a crash or rebalance
 * restores exactly what the last committed transaction left, named so their changelogs read
 * {@code <application.id>-<store>-changelog}.
 */
public final class GateStores {

    public static final String INTENT_IDS = "intent-ids";
    public static final String RATE_BUCKETS = "rate-buckets";
    public static final String BUDGET_LEDGERS = "budget-ledgers";
    public static final String OPEN_ESCALATIONS = "open-escalations";

    private GateStores() {}

    public static List<StoreBuilder<?>> builders(Duration dedupeRetention, Serde<AuditRecord> caseFiles) {
        StoreBuilder<WindowStore<String, Long>> intentIds = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(INTENT_IDS, dedupeRetention.multipliedBy(2), dedupeRetention, false),
                Serdes.String(), Serdes.Long());
        StoreBuilder<KeyValueStore<String, TokenBucket>> buckets = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RATE_BUCKETS), Serdes.String(), new TokenBucketSerde());
        StoreBuilder<KeyValueStore<String, BudgetLedger>> ledgers = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(BUDGET_LEDGERS), Serdes.String(), new BudgetLedgerSerde());
        StoreBuilder<KeyValueStore<String, AuditRecord>> escalations = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(OPEN_ESCALATIONS), Serdes.String(), caseFiles);
        return List.of(intentIds, buckets, ledgers, escalations);
    }
}
