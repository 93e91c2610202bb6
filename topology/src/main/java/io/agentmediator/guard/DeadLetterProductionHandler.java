package io.agentmediator.guard;

import io.agentmediator.intake.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output record that cannot be serialised — larger than the producer sends (see
 * {@link SizeLimitedSerializer}), or not serialisable at all — is dead-lettered with its key and
 * the reason (its value is left out: it is what did not fit), and processing goes on instead of the
 * thread dying on it at every retry. A changelog record is different: dropping it would make the
 * store and its changelog disagree, so that stops the thread; the input limits keep store values far
 * below the record size limit. So does a schema the registry refuses (a subject not registered while
 * the mediator may not register, an incompatible change): no fault of one record. A send that fails stops the thread too: under exactly-once the
 * transaction it belonged to is lost anyway, and the records are processed again.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    private static final String CHANGELOG_SUFFIX = "-changelog";

    private DeadLetterRecords deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetterRecords.configured(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(
            ErrorHandlerContext context, ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        if (DeadLetterRecords.isOutage(exception)) {
            return Response.fail();
        }
        if (DeadLetterRecords.refusedByRegistry(exception)) {
            // The record is the mediator's own (a decision, a case file, a store's value), and what it decided is already in its
            // stores: dead-lettered, the decision would be lost and the intent, sent again, a DUPLICATE. Read again once the
            // subject is registered or the schema made compatible; under exactly-once nothing of this attempt is kept.
            log.error("the schema registry refused the schema of {}, the mediator's own record; stopping rather than losing it: register"
                    + " the subject (auto.register.schemas=false) or make the schema compatible", record.topic(), exception);
            return Response.fail();
        }
        byte[] key = record.key() instanceof byte[] bytes ? bytes
                : record.key() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : null;
        return dropped(context, record.topic(), key, exception);
    }

    private Response dropped(ErrorHandlerContext context, String topic, byte[] key, Exception exception) {
        if (topic.endsWith(CHANGELOG_SUFFIX)) {
            log.error("could not write to the changelog {}; stopping rather than letting the store and its changelog disagree",
                    topic, exception);
            return Response.fail();
        }
        if (topic.equals(deadLetters.topic())) {
            log.error("could not write a dead letter to {} either; it is lost, processing goes on", topic, exception);
            return Response.resume();
        }
        log.error("could not write a record to {} (caused by {}-{}@{}); dead-lettered with its key, processing goes on", topic,
                context.topic(), context.partition(), context.offset(), exception);
        ProducerRecord<byte[], byte[]> letter = deadLetters.of(context, key, null, exception);
        DeadLetterHeaders.with(letter.headers(), DeadLetterHeaders.OUTPUT_TOPIC, topic);
        return Response.resume(List.of(letter));
    }
}
