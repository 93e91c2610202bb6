package io.agentmediator.guard;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings that route every record the mediator cannot handle to the dead-letter topic. */
public final class ErrorHandling {

    private ErrorHandling() {}

    /** Sets the exception handlers (unless the operator chose others) and the dead-letter topic they write to. */
    public static void configure(Properties props, String deadLetterTopic) {
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        // The policy loader runs on the global thread: a record it fails on is dead-lettered like any other.
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.putIfAbsent(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        props.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
    }

    /** The handlers count their dead letters in {@code metrics}. */
    public static void countWith(Properties props, GuardEvents metrics) {
        props.put(DeadLetterRecords.METRICS_CONFIG, metrics);
    }
}
