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
 * Puts the accepted controls in force on this instance. Runs in the global thread, so every instance reads every
 * accepted control; at start the store's content is applied, so a restarted instance keeps every switch that is on.
 *
 * <p>Reads: the accepted controls topic, keyed by agent id or {@code *}, JSON strings, each judged once already by the
 * {@link ControlAcceptor}; nothing is judged again here, so an instance that rebuilds this store from the topic (a new
 * volume) reaches the switches every other instance holds. Owns the global store {@code storeName}: the latest accepted
 * control per key.
 */
public final class ControlLoader implements Processor<String, String, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ControlLoader.class);
    /** Only the mediator writes the accepted topic, within the input limits; a foreign write may be any length. */
    private static final int QUOTED_CHARS = 200;

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
        String scope = record.key();
        if (scope == null) {
            log.error("an accepted control without a key changes nothing (only the mediator should write the accepted controls topic)");
            return;
        }
        if (record.value() == null) {
            store.delete(scope);
            suspensions.forget(scope);
            log.info("kill switch of {} removed", Printable.escape(scope, QUOTED_CHARS));
            return;
        }
        if (apply(scope, record.value())) {
            store.put(scope, record.value());
        }
    }

    /** Whether {@code json} was a control, now in force; only the acceptor writes the topic, so one that is not is a foreign write. */
    private boolean apply(String scope, String json) {
        AcceptedControl accepted;
        try {
            accepted = AcceptedControl.fromJson(json);
        } catch (IllegalArgumentException e) {
            log.error("the accepted control for {} is not readable and changes nothing (only the mediator should write the"
                    + " accepted controls topic): {}", Printable.escape(scope, QUOTED_CHARS),
                    Printable.escape(e.getMessage(), QUOTED_CHARS * 5));
            return false;
        }
        Control control = accepted.control();
        suspensions.accept(scope, accepted);
        log.warn("kill switch: {} {} by {} at {}: {}", Printable.escape(scope, QUOTED_CHARS), control.action() == ControlAction.SUSPEND
                ? "suspended" : "resumed", Printable.escape(control.by(), QUOTED_CHARS), control.at(),
                Printable.escape(control.reason(), QUOTED_CHARS * 5));
        return true;
    }
}
