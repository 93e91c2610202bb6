package io.agentmediator.cases;

import io.agentmediator.metrics.DecisionMetrics;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.text.Printable;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers which agent each decided intent belongs to while its case is open. Reads the
 * case-owners topic (intent id to agent id, written by the gate; a null value, written by the
 * case-keeper when the case closes, forgets it); owns {@link CaseStores#INTENT_OWNERS}; writes nothing.
 * The store is a plain copy of the topic, which is why Kafka Streams restores it from the topic itself:
 * whatever this does to a record, a restored store must hold the same.
 */
public final class OwnerRecorder implements Processor<String, String, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(OwnerRecorder.class);

    private final DecisionMetrics metrics;
    private KeyValueStore<String, String> owners;

    public OwnerRecorder(DecisionMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        owners = context.getStateStore(CaseStores.INTENT_OWNERS);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null) {
            return;
        }
        String before = record.value() == null ? null : owners.get(record.key());
        if (before != null && !before.equals(record.value())) {
            // Each agent's partition remembers only its own ids, so this is where two agents' cases under one id meet.
            log.warn("intent id {} was decided for agent {} while agent {}'s case under it is open: answers that name no agent now"
                    + " reach {}'s; ids must be unique across agents", Printable.escape(record.key()), Printable.escape(record.value()),
                    Printable.escape(before), Printable.escape(record.value()));
            metrics.intentIdShared();
        }
        owners.put(record.key(), record.value());
    }
}
