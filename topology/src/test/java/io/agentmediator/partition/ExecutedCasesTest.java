package io.agentmediator.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** Executed cases and their index by last change, with the production serdes, outside a topology. */
class ExecutedCasesTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("executed-cases"));
    private final KeyValueStore<String, CaseFileValue> cases = open(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("cases"),
            Serdes.String(), new CaseFileCodec(topics.audit().name(), topics.audit().valueSerde()).storeSerde()).withLoggingDisabled().build());
    private final KeyValueStore<String, byte[]> byChange = open(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("by-change"),
            Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build());

    @Test
    void shouldFileTheCasesAnOlderVersionLeftOutOfTheIndexABatchAtATimeInOnePass() {
        // Given five executed cases, i-1, i-3 and i-5 filed by a version before the index (in the cases store alone)
        ExecutedCases executed = new ExecutedCases(cases, byChange);
        for (int i = 1; i <= 5; i++) {
            AuditRecord caseFile = caseFile("i-" + i, T0.plusSeconds(i));
            if (i % 2 == 0) {
                executed.put(caseFile.getIntentId(), caseFile);
            } else {
                cases.put(caseFile.getIntentId(), CaseFileValue.of(caseFile));
            }
        }

        // When the cases the index lacks are filed two at a time, more often than it takes to go through them
        for (int check = 0; check < 4; check++) {
            executed.fileUnindexed(2);
        }

        // Then each case is filed once, and all five are found once the case retention has passed
        assertThat(keys(byChange)).hasSize(5);
        assertThat(executed.unchangedSince(T0.plus(Duration.ofDays(1)), 10).entries()).extracting(entry -> entry.key)
                .containsExactly("i-1", "i-2", "i-3", "i-4", "i-5");
    }

    @Test
    void shouldGoThroughTheStoreOnlyOnceAfterEachOpen() {
        // Given a pass through an empty store
        ExecutedCases executed = new ExecutedCases(cases, byChange);
        executed.fileUnindexed(10);

        // When a case appears later without an index entry (no version but an older one files so)
        cases.put("i-1", CaseFileValue.of(caseFile("i-1", T0)));
        executed.fileUnindexed(10);

        // Then this opening does not read the store again; the next one (a restart, the task moving) does
        assertThat(keys(byChange)).isEmpty();
        new ExecutedCases(cases, byChange).fileUnindexed(10);
        assertThat(keys(byChange)).hasSize(1);
    }

    private static AuditRecord caseFile(String intentId, Instant updatedAt) {
        return AuditRecord.newBuilder().setIntentId(intentId).setAgentId("finance-analyst").setCorrelationId(intentId)
                .setStage(CaseStage.EXECUTE).setPolicyVersion("v1").setUpdatedAt(updatedAt).build();
    }

    private static List<String> keys(KeyValueStore<String, byte[]> store) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            all.forEachRemaining((KeyValue<String, byte[]> entry) -> keys.add(entry.key));
        }
        return keys;
    }

    private static <S extends KeyValueStore<?, ?>> S open(S store) {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
