package io.agentmediator.intake;

import io.agentmediator.text.Printable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
  * The headers a dead-letter record carries beside the original key, value and headers: enough
  * to find the original record and to know why it could not be read.
  */
public final class DeadLetterHeaders {

    /** How the names of the mediator's own headers begin. */
    public static final String OWN = "mediator.";
    public static final String ERROR_CLASS = "mediator.error.class";
    public static final String ERROR_MESSAGE = "mediator.error.message";
    public static final String SOURCE_TOPIC = "mediator.source.topic";
    public static final String SOURCE_PARTITION = "mediator.source.partition";
    public static final String SOURCE_OFFSET = "mediator.source.offset";
    /** The processor that failed on the record, when it was not the intake. */
    public static final String PROCESSOR = "mediator.processor";
    /** For a record that could not be written: the topic it was for (its value is left out). */
    public static final String OUTPUT_TOPIC = "mediator.output.topic";

    /** For a record whose key was too long to write again: its length and the start of its SHA-256 (the letter has no key). */
    public static final String KEY_DROPPED = "mediator.key.dropped";
    /** For a record too large to write again whole: its value's length (the letter has no value). */
    public static final String VALUE_DROPPED = "mediator.value.dropped";
    /** For a record whose own headers were too large to write again: their length (the letter has only these). */
    public static final String HEADERS_DROPPED = "mediator.headers.dropped";

    /** The longest error message a letter carries, in characters. */
    public static final int ERROR_MESSAGE_MAX_CHARS = 4_096;

    private DeadLetterHeaders() {}

    /** Notes in {@code headers} the key a dead letter leaves out, so that it can still be matched to its original. */
    public static void keyDropped(Headers headers, byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            put(headers, KEY_DROPPED, key.length + " bytes, sha-256 " + HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * The original headers plus the error and where the record was produced. Headers named {@value #OWN} are the
     * mediator's: one its producer sent is left out, so that no letter says what the mediator did not (a value dropped, a
     * processor, an output topic), and no placer's note of where a record was moved from stays behind.
     */
    public static Headers describe(Headers original, Throwable error, RecordOrigin origin) {
        Headers headers = new RecordHeaders();
        for (Header header : original) {
            if (!header.key().startsWith(OWN)) {
                headers.add(header);
            }
        }
        put(headers, ERROR_CLASS, error.getClass().getName());
        put(headers, ERROR_MESSAGE, message(error));
        put(headers, SOURCE_TOPIC, origin.topic());
        put(headers, SOURCE_PARTITION, Integer.toString(origin.partition()));
        put(headers, SOURCE_OFFSET, Long.toString(origin.offset()));
        return headers;
    }

    /**
     * The error's message, cut to {@link #ERROR_MESSAGE_MAX_CHARS} with how long it was: a message quoting the record it
     * failed on could otherwise make a letter larger than the record, and larger than the producer sends.
     */
    static String message(Throwable error) {
        return Printable.cut(String.valueOf(error.getMessage()), ERROR_MESSAGE_MAX_CHARS);
    }

    /** {@code headers} with {@code name} set to {@code value}, replacing any earlier one. */
    public static Headers with(Headers headers, String name, String value) {
        put(headers, name, value);
        return headers;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
