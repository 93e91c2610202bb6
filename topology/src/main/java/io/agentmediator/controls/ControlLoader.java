package io.agentmediator.controls;

import io.agentmediator.text.Printable;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the controls topic on this instance. Runs in the global thread, so every instance reads
 * every control; at start the store's content is applied, so a restarted instance keeps every
 * switch that is on.
 *
 * <p>Reads: controls keyed by agent id or {@code *}, as JSON strings. Owns the global store
 * {@code storeName} (the latest control per key). A RESUME, or a tombstone, turns the key's switch
 * off. A record that is not a control is logged and changes nothing.
 */
public final class ControlLoader implements Processor<String, String, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ControlLoader.class);

    private final String storeName;
    private final Suspensions suspensions;
    private KeyValueStore<String, String> store;

    public ControlLoader(String storeName, Suspensions suspensions) {
        this.storeName = storeName;
        this.suspensions = suspensions;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(entry -> apply(entry.key, entry.value));
        }
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null) {
            log.warn("a control without a key (an agent id or *) changes nothing");
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        apply(record.key(), record.value());
    }

    private void apply(String scope, String value) {
        if (value == null) {
            suspensions.resume(scope);
            log.info("kill switch of {} removed", Printable.escape(scope));
            return;
        }
        Control control;
        try {
            control = Control.fromJson(value);
        } catch (IllegalArgumentException e) {
            log.error("the control for {} is not readable and changes nothing: {}", Printable.escape(scope), e.getMessage());
            return;
        }
        if (control.action() == ControlAction.SUSPEND) {
            suspensions.suspend(new Suspension(scope, control.reason(), control.by(), control.at()));
            log.warn("kill switch: {} suspended by {} at {}: {}", Printable.escape(scope), Printable.escape(control.by()), control.at(),
                    Printable.escape(control.reason()));
        } else {
            suspensions.resume(scope);
            log.warn("kill switch: {} resumed by {} at {}: {}", Printable.escape(scope), Printable.escape(control.by()), control.at(),
                    Printable.escape(control.reason()));
        }
    }
}
