package io.agentmediator.guard;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a processor fails on a record, the record is dead-lettered as it was read and processing
 * goes on: one bad record never stops every agent behind it. {@link Guarded} has already undone
 * the record's changes. An unreachable schema registry, or one refusing a schema the mediator writes with,
 * stops the thread instead, so the record is read again once it is back or the subject registered.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private DeadLetterRecords deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetterRecords.configured(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof KeptUnitNotSent || DeadLetterRecords.isOutage(exception) || DeadLetterRecords.refusedByRegistry(exception)) {
            return Response.fail();
        }
        // Kafka Streams names no topic for a punctuation; a record without key and value has one, and is dead-lettered as any.
        if (context.topic() == null) {
            // A punctuation has no record to dead-letter: what its unit wrote may be kept (it failed downstream, in a send).
            log.error("{} failed in a punctuation (no record read); nothing is dead-lettered, processing goes on",
                    context.processorNodeId(), exception);
            return Response.resume();
        }
        log.error("{} failed on the record {}-{}@{}; dead-lettered to {} with its changes undone, processing goes on",
                context.processorNodeId(), context.topic(), context.partition(), context.offset(), deadLetters.topic(), exception);
        return Response.resume(List.of(deadLetters.of(context, context.sourceRawKey(), context.sourceRawValue(), exception)));
    }
}
