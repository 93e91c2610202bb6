package io.agentmediator.metrics;

import io.agentmediator.intake.DeadLetterHeaders;
import io.agentmediator.limits.RecordSize;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stands before the dead-letter sink: counts each dead letter by the topic it was read from (the
 * {@link DeadLetterHeaders#SOURCE_TOPIC} header every dead letter carries) and forwards it unchanged
 * to {@code sink}, without its key when that is longer than any id ({@link RecordSize#keyFits}). Owns no store.
 */
public final class DeadLetterMeter implements Processor<Object, Object, Object, Object> {

    private final DecisionMetrics metrics;
    private final String sink;
    private ProcessorContext<Object, Object> context;

    public DeadLetterMeter(DecisionMetrics metrics, String sink) {
        this.metrics = metrics;
        this.sink = sink;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<Object, Object> record) {
        Header source = record.headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC);
        metrics.deadLettered(source == null ? null : new String(source.value(), StandardCharsets.UTF_8));
        byte[] key = record.key() instanceof byte[] bytes ? bytes
                : record.key() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : null;
        if (RecordSize.keyFits(key)) {
            context.forward(record, sink);
            return;
        }
        // Written with it, the letter would be a record no producer sends, and the thread would die on it at every retry.
        Headers headers = new RecordHeaders(record.headers().toArray());
        DeadLetterHeaders.keyDropped(headers, key);
        context.forward(new Record<>(null, record.value(), record.timestamp(), headers), sink);
    }
}
