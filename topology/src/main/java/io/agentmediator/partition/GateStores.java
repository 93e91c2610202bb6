package io.agentmediator.partition;

import io.agentmediator.budget.BudgetStores;
import io.agentmediator.ratelimit.TokenBucketSerde;
import io.agentmediator.schema.internal.Holdings;
import io.agentmediator.schema.internal.WaitingIntent;
import io.agentmediator.storage.StateStores;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
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
    /** Agents' budgets: balances per (agent, window), open reservations per (agent, intent), and their prune index. */
    public static final BudgetStores BUDGETS = BudgetStores.AGENTS;
    public static final String OPEN_ESCALATIONS = "open-escalations";
    /** {@link #OPEN_ESCALATIONS} by deadline, so that expiring them reads only those that are due. */
    public static final String OPEN_ESCALATIONS_DUE = "open-escalations-due";
    /** Intents waiting for their dependencies, with the record as it arrived, by intent id. */
    public static final String WAITING_INTENTS = "waiting-intents";
    /** How many of {@link #WAITING_INTENTS} each agent has, by agent id: the gate bounds it per agent. */
    public static final String WAITING_PER_AGENT = "waiting-per-agent";
    /**
     * Intents whose claims are on their way through the resource ledger, by intent id: the case file
     * as the gate decided it, its decision not yet published, its reservation held.
     */
    public static final String AWAITING_CLAIMS = "awaiting-claims";
    /**
     * When, in wall-clock time, each intent of {@link #AWAITING_CLAIMS} began to wait, by intent id: the
     * claims timeout is counted from it, not from the record's timestamp, which a replay sets in the past.
     */
    public static final String AWAITING_CLAIMS_SINCE = "awaiting-claims-since";
    /**
     * The ledger entries (pool, resources) the claims of each intent of {@link #AWAITING_CLAIMS} were sent to, by intent id:
     * one whose claims go unanswered lets go of those, whatever pool a policy changed meanwhile gives its agent.
     */
    public static final String AWAITING_CLAIMS_KEYS = "awaiting-claims-keys";
    /**
     * How many bytes {@link #OPEN_ESCALATIONS}, {@link #WAITING_INTENTS} and {@link #AWAITING_CLAIMS} hold for each agent, by
     * agent id: the gate bounds it per agent. Not logged: it is counted again from those stores whenever the task starts
     * (see {@link KeptBytes}), so it always agrees with what they restored and costs no changelog record.
     */
    public static final String KEPT_BYTES_PER_AGENT = "kept-bytes-per-agent";
    /** The ledger entries each decided intent holds (pool, resources), by intent id, to release or settle them. */
    public static final String INTENT_HOLDINGS = "intent-holdings";

    private GateStores() {}

    public static List<StoreBuilder<?>> builders(Duration dedupeRetention, Topics topics) {
        CaseFileCodec filed = new CaseFileCodec(topics.audit().name(), topics.audit().valueSerde());
        StoreBuilder<WindowStore<String, Long>> intentIds = Stores.windowStoreBuilder(
                Stores.persistentWindowStore(INTENT_IDS, dedupeRetention.multipliedBy(2), dedupeRetention, false),
                Serdes.String(), Serdes.Long());
        List<StoreBuilder<?>> stores = new ArrayList<>(List.of(intentIds,
                StateStores.rewritten(RATE_BUCKETS, new TokenBucketSerde()),
                StateStores.inFlight(OPEN_ESCALATIONS, filed.storeSerde()),
                StateStores.inFlight(OPEN_ESCALATIONS_DUE, Serdes.ByteArray()),
                StateStores.inFlight(WAITING_INTENTS, topics.storeSerde(WAITING_INTENTS, WaitingIntent.class)),
                StateStores.inFlight(WAITING_PER_AGENT, Serdes.Long()),
                StateStores.inFlight(AWAITING_CLAIMS, filed.storeSerde()),
                StateStores.inFlight(AWAITING_CLAIMS_SINCE, Serdes.Long()),
                StateStores.inFlight(AWAITING_CLAIMS_KEYS, topics.storeSerde(AWAITING_CLAIMS_KEYS, Holdings.class)),
                StateStores.inFlight(KEPT_BYTES_PER_AGENT, Serdes.Long()).withLoggingDisabled(),
                StateStores.lasting(INTENT_HOLDINGS, topics.storeSerde(INTENT_HOLDINGS, Holdings.class))));
        stores.addAll(BUDGETS.builders());
        return List.copyOf(stores);
    }
}
