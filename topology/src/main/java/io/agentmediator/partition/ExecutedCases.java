package io.agentmediator.partition;

import io.agentmediator.keys.IndexPass;
import io.agentmediator.keys.Picked;
import io.agentmediator.keys.PruneIndex;
import io.agentmediator.schema.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The case files of executed intents and an index of them by last change, so that forgetting those
 * untouched for the case retention reads only the ones that are due, not every executed intent of
 * the last month. An index entry goes stale when its case changes again or closes; it is dropped when
 * its time comes.
 */
public final class ExecutedCases {

    private final KeyValueStore<String, CaseFileValue> cases;
    private final PruneIndex byLastChange;
    /** Files the cases an older version left out of the index (see {@link #fileUnindexed}). */
    private final IndexPass<CaseFileValue> unindexed;

    ExecutedCases(KeyValueStore<String, CaseFileValue> cases, KeyValueStore<String, byte[]> byLastChange) {
        this.cases = cases;
        this.byLastChange = new PruneIndex(byLastChange);
        this.unindexed = new IndexPass<>(cases, this.byLastChange);
    }

    /** For the processor the stores are connected to. */
    public static ExecutedCases open(ProcessingContext context) {
        return new ExecutedCases(context.getStateStore(CaseStores.EXECUTED_CASES), context.getStateStore(CaseStores.EXECUTED_CASES_BY_CHANGE));
    }

    public AuditRecord get(String intentId) {
        CaseFileValue filed = cases.get(intentId);
        return filed == null ? null : filed.caseFile();
    }

    public void put(String intentId, AuditRecord caseFile) {
        put(intentId, CaseFileValue.of(caseFile));
    }

    /** Files a case file that is also on its way to the audit topic, which then takes the same bytes. */
    public void put(String intentId, CaseFileValue caseFile) {
        cases.put(intentId, caseFile);
        byLastChange.file(intentId, caseFile.caseFile().getUpdatedAt());
    }

    public void delete(String intentId) {
        cases.delete(intentId);
    }

    /**
     * Files, among the next {@code max} cases, those the index lacks: cases filed by a version before the index (or by
     * one running this partition during a rolling upgrade) are in {@link CaseStores#EXECUTED_CASES} alone, and
     * {@link #unchangedSince}, which reads only the index, would never forget them, nor settle what they hold. One pass
     * through the store, a batch at a time, after each open; a case already filed costs a read.
     */
    public void fileUnindexed(int max) {
        unindexed.fileSome(max, filed -> Optional.of(filed.caseFile().getUpdatedAt()));
    }

    /** Up to {@code max} cases whose last change is at or before {@code changedBy}; stale index entries on the way are dropped. */
    public Picked<AuditRecord> unchangedSince(Instant changedBy, int max) {
        List<KeyValue<String, AuditRecord>> old = new ArrayList<>();
        List<String> taken = byLastChange.takeDue(changedBy, max);
        for (String intentId : taken) {
            AuditRecord caseFile = get(intentId);
            if (caseFile != null && !caseFile.getUpdatedAt().isAfter(changedBy)) {
                old.add(KeyValue.pair(intentId, caseFile));
            }
        }
        return new Picked<>(old, taken.size() >= max);
    }
}
