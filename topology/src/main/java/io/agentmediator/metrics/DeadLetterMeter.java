package io.agentmediator.metrics;

import io.agentmediator.intake.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stands before the dead-letter sink: counts each dead letter by the topic it was read from (the
 * {@link DeadLetterHeaders#SOURCE_TOPIC} header every dead letter carries) and forwards it unchanged
 * to {@code sink}. Owns no store.
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
        context.forward(record, sink);
    }
}
