package io.agentmediator.intake;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
  * The headers a dead-letter record carries beside the original key, value and headers: enough
  * to find the original record and to know why it could not be read.
  */
public final class DeadLetterHeaders {

    public static final String ERROR_CLASS = "mediator.error.class";
    public static final String ERROR_MESSAGE = "mediator.error.message";
    public static final String SOURCE_TOPIC = "mediator.source.topic";
    public static final String SOURCE_PARTITION = "mediator.source.partition";
    public static final String SOURCE_OFFSET = "mediator.source.offset";
    /** The processor that failed on the record, when it was not the intake. */
    public static final String PROCESSOR = "mediator.processor";
    /** For a record that could not be written: the topic it was for (its value is left out). */
    public static final String OUTPUT_TOPIC = "mediator.output.topic";

    private DeadLetterHeaders() {}

    /** The original headers plus the error and where the record came from. */
    public static Headers describe(Headers original, Throwable error, String topic, int partition, long offset) {
        Headers headers = new RecordHeaders(original.toArray());
        put(headers, ERROR_CLASS, error.getClass().getName());
        put(headers, ERROR_MESSAGE, String.valueOf(error.getMessage()));
        put(headers, SOURCE_TOPIC, topic);
        put(headers, SOURCE_PARTITION, Integer.toString(partition));
        put(headers, SOURCE_OFFSET, Long.toString(offset));
        return headers;
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
