package io.agentmediator.cases;

import io.agentmediator.partition.CaseStores;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Remembers which agent each decided intent belongs to while its case is open. Reads the
 * case-owners topic (intent id to agent id, written by the gate; a null value, written by the
 * case-keeper when the case closes, forgets it); owns {@link CaseStores#INTENT_OWNERS}; writes nothing.
 * The store is a plain copy of the topic, which is why Kafka Streams restores it from the topic itself:
 * whatever this does to a record, a restored store must hold the same.
 */
public final class OwnerRecorder implements Processor<String, String, Void, Void> {

    private KeyValueStore<String, String> owners;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        owners = context.getStateStore(CaseStores.INTENT_OWNERS);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() != null) {
            owners.put(record.key(), record.value());
        }
    }
}
