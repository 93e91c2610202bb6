package io.agentmediator.guard;

import io.agentmediator.intake.DeadLetter;
import io.agentmediator.intake.RecordOrigin;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.registry.SchemaRegistryException;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.registry.UnusableSchemaException;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * The dead letters Kafka Streams' exception handlers write, each a {@link DeadLetter} to the dead-letter topic. Configured
 * from the Streams settings: the topic from {@link StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG},
 * the metrics that count them from {@link #METRICS_CONFIG} (none when absent).
 */
final class DeadLetterRecords {

    /** Streams setting holding the {@link GuardEvents} that count dead letters (an object, not a string). */
    static final String METRICS_CONFIG = "agent-mediator.dead.letter.metrics";

    private final String topic;
    private final GuardEvents metrics;
    private final int maxRecordBytes;

    private DeadLetterRecords(String topic, GuardEvents metrics, int maxRecordBytes) {
        this.topic = topic;
        this.metrics = metrics;
        this.maxRecordBytes = maxRecordBytes;
    }

    static DeadLetterRecords configured(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (!(topic instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must name the dead-letter topic");
        }
        return new DeadLetterRecords(name, configs.get(METRICS_CONFIG) instanceof GuardEvents given ? given : GuardEvents.NONE,
                RecordSize.maxRequestBytes(configs));
    }

    String topic() {
        return topic;
    }

    /**
     * Whether the error is no fault of the record: an unreachable schema registry, a client error of
     * Kafka itself (a send that failed, a fenced or timed-out producer) or a task that moved. Such a
     * record must be read again once the cause is gone, never dead-lettered; the thread stops instead.
     */
    static boolean isOutage(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryUnavailableException || cause instanceof ApiException
                    || cause instanceof TaskMigratedException || cause instanceof TaskCorruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the registry refused a schema the mediator writes with (a subject it may not register and that is missing, an
     * incompatible change, a schema refused as invalid): no fault of the record being processed, and what it decided would
     * be lost if that record were dead-lettered. A schema read by id that is not usable stays the read record's fault.
     */
    static boolean refusedByRegistry(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException && !(cause instanceof UnusableSchemaException)) {
                return true;
            }
        }
        return false;
    }

    /** The dead letter of the record {@code context} describes, counted as one produced to its topic. */
    ProducerRecord<byte[], byte[]> of(ErrorHandlerContext context, byte[] key, byte[] value, Throwable error) {
        Headers headers = context.headers() == null ? new RecordHeaders() : context.headers();
        RecordOrigin origin = RecordOrigin.of(String.valueOf(context.topic()), context.partition(), context.offset(), headers);
        metrics.deadLettered(origin.topic());
        DeadLetter letter = DeadLetter.of(key, value, headers, rootOf(error), origin, context.processorNodeId(), maxRecordBytes);
        return new ProducerRecord<>(topic, null, context.timestamp() < 0 ? null : context.timestamp(), letter.key(), letter.value(),
                letter.headers());
    }

    /** Kafka Streams wraps a processor's exception; the one worth reading is the first of ours beneath. */
    private static Throwable rootOf(Throwable error) {
        Throwable cause = error;
        while (cause instanceof org.apache.kafka.streams.errors.StreamsException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
