package io.agentmediator.intake;

import io.agentmediator.limits.RecordSize;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.schema.AgentIntent;
import java.nio.charset.StandardCharsets;
import io.agentmediator.limits.BoundedIntent;
import io.agentmediator.limits.RecordLimits;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * Turns the raw bytes of {@code agent.intents} into {@link AgentIntent}s.
  *
  * <p>Reads: intents as bytes. Writes: {@link ReceivedIntent}s (key as a string) to the child
  * {@code decodedChild}; records that cannot be read (null value, not the wire format, unknown
  * schema id, corrupt Avro) to {@code deadLetterChild} as a {@link DeadLetter}. An intent over its {@link RecordLimits} goes on as a bounded copy
 * with the limits it broke, for the gate to reject. Owns no store.
  *
  * <p>An unreachable schema registry is different from a bad record: the registry client waits for it
  * (the mediator's WaitingRegistryClient), and the record is never dead-lettered for it.
  */
public final class IntentDecoder implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(IntentDecoder.class);

    private final Deserializer<AgentIntent> deserializer;
    private final RecordLimits limits;
    private final String decodedChild;
    private final String deadLetterChild;
    private final int maxRecordBytes;
    private ProcessorContext<Object, Object> context;

    /**
     * @param maxRecordBytes the producer's {@code max.request.size}: an intent too large for the mediator to move to its
     *                       agent's partition is over its limits wherever it was read, so it is rejected the same way
     *                       whatever partition its producer chose (see {@link io.agentmediator.placement.RecordPlacer})
     */
    public IntentDecoder(
            Deserializer<AgentIntent> deserializer,
            RecordLimits limits,
            String decodedChild,
            String deadLetterChild,
            int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.deserializer = deserializer;
        this.limits = limits;
        this.decodedChild = decodedChild;
        this.deadLetterChild = deadLetterChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        RecordOrigin origin = RecordOrigin.of(source.topic(), source.partition(), source.offset(), record.headers());
        Headers sent = RecordOrigin.producers(record.headers());
        AgentIntent intent;
        try {
            if (record.value() == null) {
                throw new UnreadableIntentException("the record has no value (null); an intent was expected");
            }
            intent = deserializer.deserialize(source.topic(), record.headers(), record.value());
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("dead-lettering {}: {}", origin.where(), e.getMessage());
            DeadLetter letter = DeadLetter.of(record.key(), record.value(), sent, e, origin, null, maxRecordBytes);
            context.forward(record.withKey(letter.key()).withValue(letter.value()).withHeaders(letter.headers()), deadLetterChild);
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        List<String> overLimits = new ArrayList<>(RecordLimits.ofKey(record.key()));
        overLimits.addAll(limits.ofIntent(key, intent));
        overLimits.addAll(limits.ofHeaders(sent));
        if (!RecordSize.fits(record.value(), sent, maxRecordBytes)) {
            overLimits.add("the record takes " + record.value().length + " bytes and its headers, more than the mediator's producer"
                    + " sends (max.request.size " + maxRecordBytes + ", less room for framing) to move it to its agent's partition");
        }
        if (!overLimits.isEmpty()) {
            // Decided from a bounded copy: the original's fields would make its case file, keys and requests too large.
            intent = BoundedIntent.of(intent, limits.limits());
            key = BoundedIntent.bounded(key, limits.limits().idMaxChars());
        }
        context.forward(record.withKey((Object) key).withValue(new ReceivedIntent(intent, record.value(), overLimits)), decodedChild);
    }
}
