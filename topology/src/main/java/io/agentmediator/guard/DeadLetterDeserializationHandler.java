package io.agentmediator.guard;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record on one of the mediator's own topics that cannot be read (corrupt, or written by
 * something else) is dead-lettered, not fatal. Agents' topics are read as bytes and decoded by the
 * intake, which dead-letters on its own; this covers the internal topics. An unreachable schema
 * registry stops the thread, so the record is read again once it is back.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private DeadLetterRecords deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetterRecords.configured(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (DeadLetterRecords.isOutage(exception)) {
            return Response.fail();
        }
        log.error("could not read {}-{}@{}; dead-lettered to {}", record.topic(), record.partition(), record.offset(),
                deadLetters.topic(), exception);
        return Response.resume(List.of(deadLetters.of(context, record.key(), record.value(), exception)));
    }
}
