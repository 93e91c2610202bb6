package io.agentmediator.ratelimit;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stores a {@link TokenBucket} in a changelogged key-value store in 17 bytes: a format version (1), then
 * the micro-tokens and the last refill time as big-endian longs. It is read for every intent, hence binary.
 * Later versions may only append fields: the reader takes the version-1 fields and ignores the rest, so
 * a rollback keeps working.
 */
public final class TokenBucketSerde implements Serde<TokenBucket> {

    static final byte VERSION = 1;
    private static final int LENGTH = 1 + Long.BYTES + Long.BYTES;

    @Override
    public Serializer<TokenBucket> serializer() {
        return (topic, bucket) -> bucket == null ? null : ByteBuffer.allocate(LENGTH)
                .put(VERSION)
                .putLong(bucket.microTokens())
                .putLong(bucket.lastRefillMillis())
                .array();
    }

    @Override
    public Deserializer<TokenBucket> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    private static TokenBucket read(byte[] bytes) {
        if (bytes.length < LENGTH || bytes[0] < VERSION) {
            throw new SerializationException("not a token bucket: " + bytes.length + " bytes, version "
                    + (bytes.length > 0 ? bytes[0] : "none"));
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, LENGTH - 1);
        long microTokens = buffer.getLong();
        long lastRefillMillis = buffer.getLong();
        if (microTokens < 0) {
            throw new SerializationException("a token bucket with negative tokens: " + microTokens);
        }
        return new TokenBucket(microTokens, lastRefillMillis);
    }
}
