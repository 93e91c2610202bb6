package io.agentmediator.approvals;

import io.agentmediator.schema.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The case files a reading of the audit topic keeps, record by record in offset order, as compaction would leave them:
 * the latest record of each selected key wins, and a tombstone, or a case file the selection no longer keeps, removes
 * the key. Its size is what the selection keeps, never the topic's.
 */
final class KeptCaseFiles {

    private final AuditSelection selection;
    private final Deserializer<AuditRecord> values;
    private final Map<String, AuditRecord> latest = new HashMap<>();
    private long recordsRead;

    KeptCaseFiles(AuditSelection selection, Deserializer<AuditRecord> values) {
        this.selection = selection;
        this.values = values;
    }

    void add(ConsumerRecord<byte[], byte[]> record) {
        recordsRead++;
        // Before decoding anything: a record of another key costs neither heap nor the registry.
        if (!selection.keys().test(record.key())) {
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            // A tombstone: compaction will remove the key, so the snapshot does too.
            latest.remove(key);
            return;
        }
        AuditRecord caseFile = decode(key, record);
        if (selection.keepWhile().test(caseFile)) {
            latest.put(key, caseFile);
        } else {
            // The latest record decides: an older one the selection kept no longer stands.
            latest.remove(key);
        }
    }

    AuditSnapshot snapshot() {
        return new AuditSnapshot(latest, recordsRead);
    }

    private AuditRecord decode(String key, ConsumerRecord<byte[], byte[]> record) {
        try {
            return values.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read the case file " + key + " at " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + ": " + e.getMessage(), e);
        }
    }
}
