package io.agentmediator.partition;

import io.agentmediator.schema.AuditRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How a case file is written to the executed-cases and awaiting-claims stores and to the audit topic: in the audit
 * topic's encoding in all three, so that an executed intent's case file, filed and published, is encoded once
 * ({@link CaseFileValue}). Values either store held before were encoded for its changelog's subject;
 * both decode, by the schema id they carry.
 */
public final class CaseFileCodec {

    private final String auditTopic;
    private final Serializer<AuditRecord> serializer;
    private final Deserializer<AuditRecord> deserializer;

    public CaseFileCodec(String auditTopic, Serde<AuditRecord> caseFiles) {
        this.auditTopic = auditTopic;
        this.serializer = caseFiles.serializer();
        this.deserializer = caseFiles.deserializer();
    }

    /** The executed-cases and awaiting-claims stores' values. */
    public Serde<CaseFileValue> storeSerde() {
        Serializer<CaseFileValue> write = (topic, value) -> value == null ? null : value.encode(serializer, auditTopic);
        Deserializer<CaseFileValue> read = (topic, bytes) -> bytes == null ? null
                : CaseFileValue.read(deserializer.deserialize(auditTopic, bytes), bytes.length);
        return Serdes.serdeFrom(write, read);
    }

    /** The audit sink's values: case files, some of them already encoded for the store. */
    public Serializer<Object> auditSerializer() {
        return (topic, value) -> value instanceof CaseFileValue filed ? filed.encode(serializer, auditTopic) : serializer.serialize(topic, (AuditRecord) value);
    }
}
