package io.agentmediator.intake;

import io.agentmediator.limits.RecordSize;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record the mediator could not read or decide, as it was read, with {@link DeadLetterHeaders} saying where it came
 * from, which processor gave up on it and why: what the processors that read a record and the exception handlers both
 * write to the dead-letter topic. A letter the producer refused would stop the stream thread on its record at every retry
 * (under exactly-once the failed send aborts the transaction), so it leaves out the original headers, the key or the value
 * that would not fit, and says so.
 *
 * @param key     the original key, or null when it was left out (or had none)
 * @param value   the original value, or null when it was left out (or had none)
 * @param headers the original headers that fit, and the letter's own
 */
public record DeadLetter(byte[] key, byte[] value, Headers headers) {

    /**
     * The letter of the record produced at {@code origin}, at most {@code maxRecordBytes} as the producer counts it;
     * {@code processor} is the one that gave up on it, or null when it was the reader.
     */
    public static DeadLetter of(byte[] key, byte[] value, Headers original, Throwable error, RecordOrigin origin, String processor,
            int maxRecordBytes) {
        Headers headers = described(original, error, origin, processor);
        if (!RecordSize.fits(0, RecordSize.headerBytes(headers), maxRecordBytes)) {
            headers = described(new RecordHeaders(), error, origin, processor);
            DeadLetterHeaders.with(headers, DeadLetterHeaders.HEADERS_DROPPED, RecordSize.headerBytes(original) + " bytes");
        }
        byte[] keptKey = key;
        if (!RecordSize.keyFits(key)) {
            DeadLetterHeaders.keyDropped(headers, key);
            keptKey = null;
        }
        byte[] keptValue = value;
        if (!RecordSize.fits(value, headers, maxRecordBytes)) {
            DeadLetterHeaders.with(headers, DeadLetterHeaders.VALUE_DROPPED, value.length + " bytes");
            keptValue = null;
        }
        return new DeadLetter(keptKey, keptValue, headers);
    }

    private static Headers described(Headers original, Throwable error, RecordOrigin origin, String processor) {
        Headers headers = DeadLetterHeaders.describe(original, error, origin);
        if (processor != null) {
            DeadLetterHeaders.with(headers, DeadLetterHeaders.PROCESSOR, processor);
        }
        return headers;
    }
}
