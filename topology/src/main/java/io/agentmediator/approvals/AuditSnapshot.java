package io.agentmediator.approvals;

import io.agentmediator.schema.AuditRecord;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit topic as compaction will leave it, read up to the end the topic had when reading began:
 * the latest case file of each key that the reading's {@link AuditSelection} kept.
 */
public final class AuditSnapshot {

    private final Map<String, AuditRecord> latestByKey;
    private final long recordsRead;

    /** @param recordsRead every record read, kept or not, so that an empty answer can say how much it looked at */
    public AuditSnapshot(Map<String, AuditRecord> latestByKey, long recordsRead) {
        this.latestByKey = Map.copyOf(latestByKey);
        this.recordsRead = recordsRead;
    }

    /** The case file of an intent. */
    public Optional<AuditRecord> caseFile(String intentId) {
        return Optional.ofNullable(latestByKey.get(intentId));
    }

    /**
     * Approvals and outcomes about an intent that matched no case they could change: the mediator
     * files each under a key of its own ({@code AuditKeys.unmatchedAnswer}: the intent id, {@code #},
     * what and where) so it cannot overwrite the real case file. Oldest first.
     */
    public List<AuditRecord> unmatched(String intentId) {
        String prefix = intentId + "#";
        return latestByKey.entrySet().stream()
                // An intent whose own id contains '#' is a case file, not a note about this one.
                .filter(entry -> entry.getKey().startsWith(prefix)
                        && entry.getValue().getIntent() == null
                        && intentId.equals(entry.getValue().getCorrelationId()))
                .map(Map.Entry::getValue)
                .sorted(Comparator.comparing(AuditRecord::getUpdatedAt).thenComparing(AuditRecord::getIntentId))
                .toList();
    }

    /** Every case file kept, in no particular order. */
    public Collection<AuditRecord> caseFiles() {
        return latestByKey.values();
    }

    /** How many case files were kept: what the reading held, whatever the size of the topic. */
    public int size() {
        return latestByKey.size();
    }

    public long recordsRead() {
        return recordsRead;
    }
}
