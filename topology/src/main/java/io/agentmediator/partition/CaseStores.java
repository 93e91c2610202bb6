package io.agentmediator.partition;

import io.agentmediator.schema.AuditRecord;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The stores of the human loop, persistent and restored from topics: their changelogs, or for the owners the topic they are read from. */
public final class CaseStores {

    /**
     * Intent id to agent id, in the intent's partition: where to send its approvals and outcomes. A copy of
     * the compacted case-owners topic, restored from it (a read-only store): no changelog of its own.
     */
    public static final String INTENT_OWNERS = "intent-owners";

    /**
     * Case files of executed intents, in the agent's partition, until the executor reports that
     * they failed or were compensated: an outcome must find the case and its reservation.
     */
    public static final String EXECUTED_CASES = "executed-cases";

    /** Executed cases by the time of their last change, for forgetting them after the case retention. */
    public static final String EXECUTED_CASES_BY_CHANGE = "executed-cases-by-change";

    private CaseStores() {}

    public static StoreBuilder<KeyValueStore<String, String>> owners() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INTENT_OWNERS), Serdes.String(), Serdes.String());
    }

    public static List<StoreBuilder<?>> agentSide(Serde<AuditRecord> caseFiles) {
        return List.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXECUTED_CASES), Serdes.String(), caseFiles),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXECUTED_CASES_BY_CHANGE), Serdes.String(), Serdes.ByteArray()));
    }
}
