package io.agentmediator.guard;

import io.agentmediator.limits.RecordSize;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
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
        return checked(topic, serializer.serialize(topic, headers, data), RecordSize.headerBytes(headers));
    }

    private byte[] checked(String topic, byte[] value, int headerBytes) {
        // A record without a value still carries its headers, and they alone can be more than the producer sends.
        int valueBytes = value == null ? 0 : value.length;
        if (!RecordSize.fits(valueBytes, headerBytes, maxRecordBytes)) {
            throw new OversizedRecordException("a record for " + topic + " would be " + valueBytes + " bytes of value and "
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
