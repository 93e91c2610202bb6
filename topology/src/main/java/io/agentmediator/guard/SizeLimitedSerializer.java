package io.agentmediator.guard;

import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A sink's value serializer that refuses a record the producer could not send. Under exactly-once a
 * send the broker or producer refuses as too large aborts the whole transaction, and the thread
 * dies on the same record at every retry; refusing it here, while it is serialised, lets the
 * {@link DeadLetterProductionHandler} dead-letter it (its key and the reason) and the transaction
 * goes on.
 */
public final class SizeLimitedSerializer<T> implements Serializer<T> {

    /** Room left for the key, the record's framing and its batch: keys are bounded by the input limits. */
    static final int FRAMING_BYTES = 16 * 1024;

    private final Serializer<T> serializer;
    private final int maxRecordBytes;

    public SizeLimitedSerializer(Serializer<T> serializer, int maxRecordBytes) {
        this.serializer = serializer;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return checked(topic, serializer.serialize(topic, data), 0);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        return checked(topic, serializer.serialize(topic, headers, data), headerBytes(headers));
    }

    /** Whether a record of {@code value} with {@code headers} is one a sink of this size limit sends on. */
    public static boolean fits(byte[] value, Headers headers, int maxRecordBytes) {
        return value == null || value.length + headerBytes(headers) + FRAMING_BYTES <= maxRecordBytes;
    }

    private static int headerBytes(Headers headers) {
        int headerBytes = 0;
        for (Header header : headers) {
            headerBytes += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return headerBytes;
    }

    private byte[] checked(String topic, byte[] value, int headerBytes) {
        if (value != null && value.length + headerBytes + FRAMING_BYTES > maxRecordBytes) {
            throw new OversizedRecordException("a record for " + topic + " would be " + value.length + " bytes of value and "
                    + headerBytes + " of headers, over the " + maxRecordBytes + " bytes the producer sends (max.request.size)");
        }
        return value;
    }

    @Override
    public void close() {
        serializer.close();
    }

    /** Not a client error of Kafka's: the record itself is at fault, so it is dead-lettered. */
    public static final class OversizedRecordException extends SerializationException {
        OversizedRecordException(String message) {
            super(message);
        }
    }
}
