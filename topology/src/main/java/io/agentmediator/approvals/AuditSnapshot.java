package io.agentmediator.approvals;

import io.agentmediator.schema.AuditRecord;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit topic as compaction will leave it: the latest case file of every key, read up to the
 * end the topic had when reading began.
 */
public final class AuditSnapshot {

    private final Map<String, AuditRecord> latestByKey;

    public AuditSnapshot(Map<String, AuditRecord> latestByKey) {
        this.latestByKey = Map.copyOf(latestByKey);
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

    /** Every latest case file, in no particular order. */
    public Collection<AuditRecord> caseFiles() {
        return latestByKey.values();
    }

    public int size() {
        return latestByKey.size();
    }
}
