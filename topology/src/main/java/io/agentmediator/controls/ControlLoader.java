package io.agentmediator.controls;

import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.text.Printable;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
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
 * <p>Reads: controls keyed by agent id or {@code *}, as JSON strings, with their signature headers.
 * Each is judged ({@link ControlJudge}) under the policy in force when it is read, once: a later policy
 * does not judge it again. Owns the global store {@code storeName}: the latest <em>accepted</em>
 * control per key, so a refused record neither changes a switch nor displaces the control it
 * contradicts (Kafka Streams rebuilds this store by passing the topic through this processor again).
 * A refused record is logged on one line and counted in {@link Suspensions#refusals()}.
 */
public final class ControlLoader implements Processor<String, String, Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ControlLoader.class);

    private final String storeName;
    private final CurrentPolicy policy;
    private final Suspensions suspensions;
    private KeyValueStore<String, String> store;

    public ControlLoader(String storeName, CurrentPolicy policy, Suspensions suspensions) {
        this.storeName = storeName;
        this.policy = policy;
        this.suspensions = suspensions;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, String> all = store.all()) {
            all.forEachRemaining(entry -> restore(entry.key, entry.value));
        }
    }

    @Override
    public void process(Record<String, String> record) {
        String scope = record.key();
        if (scope == null) {
            refuse("(no key)", new ControlRefusal(ControlRefusal.Reason.UNREADABLE, "a control needs a key: an agent id or *"));
            return;
        }
        if (record.value() == null) {
            Optional<ControlRefusal> refusal = ControlJudge.tombstone(policy.get());
            if (refusal.isPresent()) {
                refuse(scope, refusal.get());
                return;
            }
            store.delete(scope);
            suspensions.resume(scope);
            log.info("kill switch of {} removed", Printable.escape(scope));
            return;
        }
        Control control;
        try {
            control = Control.fromJson(record.value());
        } catch (IllegalArgumentException e) {
            refuse(scope, new ControlRefusal(ControlRefusal.Reason.UNREADABLE, e.getMessage()));
            return;
        }
        judge(scope, control, record.headers(), record.value(), Instant.ofEpochMilli(record.timestamp()));
    }

    private void judge(String scope, Control control, Headers headers, String json, Instant recordTime) {
        Optional<ControlRefusal> refusal = ControlJudge.refusal(policy.get(), scope, control, headers, inForce(scope), recordTime);
        if (refusal.isPresent()) {
            refuse(scope, refusal.get());
            return;
        }
        store.put(scope, json);
        apply(scope, control);
    }

    /** The control accepted last for {@code scope}; a store written before controls were judged may hold one that is not readable. */
    private Control inForce(String scope) {
        String stored = store.get(scope);
        if (stored == null) {
            return null;
        }
        try {
            return Control.fromJson(stored);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void restore(String scope, String json) {
        try {
            apply(scope, Control.fromJson(json));
        } catch (IllegalArgumentException e) {
            log.error("the stored control for {} is not readable and changes nothing: {}", Printable.escape(scope),
                    Printable.escape(e.getMessage()));
        }
    }

    private void apply(String scope, Control control) {
        if (control.action() == ControlAction.SUSPEND) {
            suspensions.suspend(new Suspension(scope, control.reason(), control.by(), control.at()));
        } else {
            suspensions.resume(scope);
        }
        log.warn("kill switch: {} {} by {} at {}: {}", Printable.escape(scope), control.action() == ControlAction.SUSPEND
                ? "suspended" : "resumed", Printable.escape(control.by()), control.at(), Printable.escape(control.reason()));
    }

    private void refuse(String scope, ControlRefusal refusal) {
        suspensions.refusals().count(refusal.reason());
        log.warn("control for {} refused ({}), nothing changes: {}", Printable.escape(scope), refusal.reason(),
                Printable.escape(refusal.message()));
    }
}
