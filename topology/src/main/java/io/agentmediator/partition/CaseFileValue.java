package io.agentmediator.partition;

import io.agentmediator.schema.AuditRecord;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A case file as the executed-cases store and the audit topic both take it, encoded once for the two:
 * the first of their serializers to meet it encodes it (for the audit topic) and keeps the bytes, the
 * second takes them. The case file must not change once wrapped; the store hands back fresh ones.
 */
public final class CaseFileValue {

    private final AuditRecord caseFile;
    private byte[] encoded;

    private CaseFileValue(AuditRecord caseFile) {
        this.caseFile = Objects.requireNonNull(caseFile, "caseFile");
    }

    public static CaseFileValue of(AuditRecord caseFile) {
        return new CaseFileValue(caseFile);
    }

    public AuditRecord caseFile() {
        return caseFile;
    }

    byte[] encode(Serializer<AuditRecord> serializer, String auditTopic) {
        if (encoded == null) {
            encoded = serializer.serialize(auditTopic, caseFile);
        }
        return encoded;
    }
}
