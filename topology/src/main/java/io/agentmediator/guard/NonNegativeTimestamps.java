package io.agentmediator.guard;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time Kafka Streams gives a record: its own timestamp, or, when that is negative, the time its
 * partition has reached (0 before any record): the record is processed like any other, at a time
 * that replays the same.
 *
 * <p>Kafka's default ({@code FailOnInvalidTimestamp}) throws on a negative timestamp, which kills the
 * stream thread, and every thread that replaces it, on the same record, until the client shuts down:
 * one record stopped every decision. A topic whose producers choose the time (CreateTime: the policies
 * topic, and intents, approvals or outcomes under their {@code topic.*.timestamp.type=CreateTime} escape
 * hatch) keeps whatever a producer sends, and librdkafka's clients (Python, Go, .NET, kcat) send a
 * negative timestamp as given. Kafka's other choices skip such a record, which would drop it silently.
 */
public final class NonNegativeTimestamps implements TimestampExtractor {

    private static final Logger log = LoggerFactory.getLogger(NonNegativeTimestamps.class);

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long timestamp = record.timestamp();
        if (timestamp >= 0) {
            return timestamp;
        }
        long instead = Math.max(partitionTime, 0);
        log.warn("{}-{}@{} has the negative timestamp {} its producer gave it; processed at its partition's time {}",
                record.topic(), record.partition(), record.offset(), timestamp, instead);
        return instead;
    }
}
