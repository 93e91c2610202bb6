package io.agentmediator.limits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Whether a record is one the mediator's producer can send ({@code max.request.size}): what the sinks
 * refuse while serialising, and what a reader checks before it moves a record or dead-letters it whole.
 */
public final class RecordSize {

    /** Room left for the key, the record's framing and its batch: keys are bounded by the input limits. */
    public static final int FRAMING_BYTES = 16 * 1024;

    /**
     * The longest key the mediator writes again (moves, dead-letters): half the framing room. An id within the input limits
     * takes at most four bytes a character; a longer key is refused by its reader, and written again it could make a record
     * no producer sends, on which a stream thread would die at every retry.
     */
    public static final int KEY_MAX_BYTES = FRAMING_BYTES / 2;

    /** A header's key length and value length, each a varint of at most five bytes. */
    static final int HEADER_LENGTHS_BYTES = 10;

    /** Kafka's default {@code max.request.size}. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

    private RecordSize() {}

    /**
     * The producer's {@code max.request.size} as {@code streamsSettings} set it for Kafka Streams (prefixed or not), else
     * Kafka's default: the largest record the mediator sends.
     */
    public static int maxRequestBytes(Map<String, ?> streamsSettings) {
        String prefixed = StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        String key = streamsSettings.containsKey(prefixed) ? prefixed : ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
        Object set = streamsSettings.get(key);
        if (set == null) {
            return DEFAULT_MAX_REQUEST_BYTES;
        }
        try {
            return Integer.parseInt(set.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of bytes, was \"" + set + "\"", e);
        }
    }

    /** Whether {@code key} is short enough to be written again (a null key is). */
    public static boolean keyFits(byte[] key) {
        return key == null || key.length <= KEY_MAX_BYTES;
    }

    /** Whether {@code value} with {@code headers} fits in a record of at most {@code maxRecordBytes}. */
    public static boolean fits(byte[] value, Headers headers, int maxRecordBytes) {
        return value == null || fits(value.length, headerBytes(headers), maxRecordBytes);
    }

    /** Whether a value and headers of these sizes fit in a record of at most {@code maxRecordBytes}. */
    public static boolean fits(int valueBytes, int headerBytes, int maxRecordBytes) {
        return valueBytes + headerBytes + FRAMING_BYTES <= maxRecordBytes;
    }

    /** A generated Avro record's own encoder ({@code toByteBuffer}), which may fail as any encoding may. */
    @FunctionalInterface
    public interface Encoding {
        ByteBuffer encode() throws IOException;
    }

    /**
     * What an in-memory store's changelog writes for a value, at least: Avro's single-object encoding, whose header is
     * longer than the registry's wire format the stores write. {@code what} names the value in the error.
     */
    public static int encodedBytes(Encoding encoding, String what) {
        try {
            return encoding.encode().remaining();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode " + what, e);
        }
    }

    /**
     * What {@code headers} take in a record at most: each key in UTF-8, each value, and the two lengths the record format
     * writes before them. Counting characters instead, a record of a hundred thousand empty headers, or of keys in
     * three-byte characters, would pass for a third of its size and then be refused by the producer.
     */
    public static int headerBytes(Headers headers) {
        long headerBytes = 0;
        for (Header header : headers) {
            headerBytes += HEADER_LENGTHS_BYTES + Utils.utf8Length(header.key()) + (header.value() == null ? 0 : header.value().length);
        }
        return (int) Math.min(Integer.MAX_VALUE, headerBytes);
    }
}
