package io.agentmediator.metrics;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stands between every processor that decides and the decision sinks: tells {@link DecisionMetrics}
 * about each Decision and forwards it unchanged (key, value, timestamp, headers) to the sink of its
 * outcome. Deciding processors stay free of metrics, and any new path that decides is counted by
 * routing through here. Owns no store.
 */
public final class DecisionMeter implements Processor<Object, Object, Object, Object> {

    private final DecisionMetrics metrics;
    private final Map<DecisionOutcome, String> sinks;
    private ProcessorContext<Object, Object> context;

    public DecisionMeter(DecisionMetrics metrics, Map<DecisionOutcome, String> sinks) {
        this.metrics = metrics;
        this.sinks = new EnumMap<>(sinks);
    }

    /** The routes a deciding processor is given: every outcome goes through the meter named {@code meter}. */
    public static Map<DecisionOutcome, String> through(String meter) {
        Map<DecisionOutcome, String> routes = new EnumMap<>(DecisionOutcome.class);
        for (DecisionOutcome outcome : DecisionOutcome.values()) {
            routes.put(outcome, meter);
        }
        return routes;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<Object, Object> record) {
        Decision decision = (Decision) record.value();
        metrics.decided(decision, record.timestamp());
        context.forward(record, sinks.get(decision.getOutcome()));
    }
}
