package io.agentmediator.guard;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings that route every record the mediator cannot handle to the dead-letter topic. */
public final class ErrorHandling {

    private ErrorHandling() {}

    /** Sets the exception handlers (unless the operator chose others) and the dead-letter topic they write to. */
    public static void configure(Properties props, String deadLetterTopic) {
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        // The policy loader runs on the global thread, which has no producer: a record it fails on is logged by Kafka and
        // stepped over (not dead-lettered) instead of stopping the thread, and with it every instance.
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        // Kafka Streams 4.4 reads its settings again from each main consumer's (its partition assignor does), where this
        // one is not copied, and warned at every start and every new stream thread that it was not set.
        props.putIfAbsent(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                props.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.putIfAbsent(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        props.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
        // A negative timestamp a producer chose is processed at its partition's time instead of failing the thread.
        props.putIfAbsent(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, NonNegativeTimestamps.class);
    }

    /** The handlers count their dead letters in {@code metrics}. */
    public static void countWith(Properties props, GuardEvents metrics) {
        props.put(DeadLetterRecords.METRICS_CONFIG, metrics);
    }
}
