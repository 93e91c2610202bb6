package io.agentmediator.partition;

import io.agentmediator.schema.AuditRecord;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A case file as the executed-cases store and the audit topic both take it, encoded once for the two:
 * the first of their serializers to meet it encodes it (for the audit topic) and keeps the bytes, the
 * second takes them. The case file must not change once wrapped; the store hands back fresh ones.
 * The awaiting-claims store holds them too, so that what a parked case file takes in memory is known
 * from the one encoding its store makes (see {@link #bytes()}).
 */
public final class CaseFileValue {

    private final AuditRecord caseFile;
    private final int readBytes;
    private byte[] encoded;

    private CaseFileValue(AuditRecord caseFile, int readBytes) {
        this.caseFile = Objects.requireNonNull(caseFile, "caseFile");
        this.readBytes = readBytes;
    }

    public static CaseFileValue of(AuditRecord caseFile) {
        return new CaseFileValue(caseFile, -1);
    }

    /** A case file a store handed back, decoded from {@code bytes} of it. */
    static CaseFileValue read(AuditRecord caseFile, int bytes) {
        return new CaseFileValue(caseFile, bytes);
    }

    public AuditRecord caseFile() {
        return caseFile;
    }

    /**
     * How many bytes the case file takes in a store: as a store read it, or as a serializer encoded it. The bytes read are
     * not kept for writing again: they may carry the schema of the store's changelog, not the audit topic's.
     *
     * @throws IllegalStateException for one neither read nor encoded yet
     */
    public int bytes() {
        if (encoded != null) {
            return encoded.length;
        }
        if (readBytes < 0) {
            throw new IllegalStateException("the case file of intent " + caseFile.getIntentId() + " was not encoded yet");
        }
        return readBytes;
    }

    byte[] encode(Serializer<AuditRecord> serializer, String auditTopic) {
        if (encoded == null) {
            encoded = serializer.serialize(auditTopic, caseFile);
        }
        return encoded;
    }
}
