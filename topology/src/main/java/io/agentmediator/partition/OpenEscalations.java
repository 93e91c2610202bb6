package io.agentmediator.partition;

import io.agentmediator.keys.Picked;
import io.agentmediator.keys.PruneIndex;
import io.agentmediator.keys.StoreSweep;
import io.agentmediator.schema.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The escalations waiting for a person, and an index of them by deadline, so that expiring them
 * reads only those whose deadline has come rather than decoding every open case file at every
 * housekeeping interval: thousands of them wait for hours when approvers fall behind. Every write of
 * an escalation files its deadline; an entry goes stale when its escalation is answered, and is
 * dropped when its time comes.
 */
final class OpenEscalations {

    private final KeyValueStore<String, CaseFileValue> cases;
    private final PruneIndex byDeadline;
    private final StoreSweep<CaseFileValue> sweep;

    private OpenEscalations(KeyValueStore<String, CaseFileValue> cases, KeyValueStore<String, byte[]> byDeadline) {
        this.cases = cases;
        this.byDeadline = new PruneIndex(byDeadline);
        this.sweep = new StoreSweep<>(cases);
    }

    static OpenEscalations open(ProcessingContext context) {
        return new OpenEscalations(context.getStateStore(GateStores.OPEN_ESCALATIONS), context.getStateStore(GateStores.OPEN_ESCALATIONS_DUE));
    }

    AuditRecord get(String intentId) {
        CaseFileValue open = cases.get(intentId);
        return open == null ? null : open.caseFile();
    }

    /** The escalation as its store holds it, with its size; null when none is open under the id. */
    CaseFileValue entry(String intentId) {
        return cases.get(intentId);
    }

    void put(String intentId, CaseFileValue caseFile) {
        cases.put(intentId, caseFile);
        Instant deadline = deadline(caseFile.caseFile());
        if (deadline != null) {
            byDeadline.file(intentId, deadline);
        }
    }

    void delete(String intentId) {
        cases.delete(intentId);
    }

    /**
     * Up to {@code max} escalations whose deadline is at or before {@code now}, earliest first; stale index
     * entries on the way are dropped.
     */
    Picked<AuditRecord> due(Instant now, int max) {
        List<KeyValue<String, AuditRecord>> due = new ArrayList<>();
        List<String> taken = byDeadline.takeDue(now, max);
        for (String intentId : taken) {
            AuditRecord open = get(intentId);
            Instant deadline = open == null ? null : deadline(open);
            if (deadline != null && !now.isBefore(deadline)) {
                due.add(KeyValue.pair(intentId, open));
            }
        }
        return new Picked<>(due, taken.size() >= max);
    }

    /**
     * Up to {@code max} open escalations {@code wanted} picks, going on from where the last call stopped, read into a
     * list first so each can be closed while reading none. Files the deadline of any escalation the index lacks (one
     * opened by a version without it) among those it reads, so that from then on {@link #due} finds it.
     */
    Picked<AuditRecord> sweep(Predicate<AuditRecord> wanted, int max) {
        Picked<CaseFileValue> pass = sweep.next((intentId, caseFile) -> {
            AuditRecord open = caseFile.caseFile();
            Instant deadline = deadline(open);
            if (deadline != null && !byDeadline.isFiled(intentId, deadline)) {
                byDeadline.file(intentId, deadline);
            }
            return wanted.test(open);
        }, max);
        return new Picked<>(pass.entries().stream().map(entry -> KeyValue.pair(entry.key, entry.value.caseFile())).toList(),
                pass.stoppedShort());
    }

    /** The next {@link #sweep} reads from the first open escalation. */
    void restartSweep() {
        sweep.restart();
    }

    /** Hands every open escalation to {@code action}, as its store holds it, in no order. */
    void forEach(Consumer<CaseFileValue> action) {
        try (KeyValueIterator<String, CaseFileValue> all = cases.all()) {
            all.forEachRemaining(entry -> action.accept(entry.value));
        }
    }

    private static Instant deadline(AuditRecord caseFile) {
        return caseFile.getDecision() == null ? null : caseFile.getDecision().getDeadline();
    }
}
