package io.agentmediator.partition;

import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.storage.StateStores;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The stores of the human loop, each restored from a topic: its changelog, or for the owners the topic they are read from. */
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

    /**
     * Approvals and outcomes that arrived before their intent's owner, keyed by intent id, their record
     * time and where they were read; see {@code cases.OwnerWaits}. Few, and each for seconds: in memory.
     */
    public static final String ANSWERS_AWAITING_OWNER = "answers-awaiting-owner";

    /** Those answers by when their wait is over. */
    public static final String ANSWERS_AWAITING_OWNER_DUE = "answers-awaiting-owner-due";

    private CaseStores() {}

    public static StoreBuilder<KeyValueStore<String, String>> owners() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INTENT_OWNERS), Serdes.String(), Serdes.String());
    }

    public static List<StoreBuilder<?>> awaitingOwner(Serde<CaseEvent> events) {
        return List.of(StateStores.inFlight(ANSWERS_AWAITING_OWNER, events), StateStores.inFlight(ANSWERS_AWAITING_OWNER_DUE, Serdes.ByteArray()));
    }

    public static List<StoreBuilder<?>> agentSide(CaseFileCodec caseFiles) {
        return List.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXECUTED_CASES), Serdes.String(), caseFiles.storeSerde()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EXECUTED_CASES_BY_CHANGE), Serdes.String(), Serdes.ByteArray()));
    }
}
