package io.agentmediator.controls;

import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.text.Printable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each record of the controls topic once for the whole deployment, and passes on the ones that count.
 *
 * <p>Reads: controls as published, raw bytes, each in its scope's partition (placed: a scope's controls meet in one
 * task whatever partitioner their publisher used), with their signature headers. Each is judged ({@link ControlJudge})
 * under the policy in force when it is read, against the control accepted last for its scope, and bounded by the
 * input limits like every record from outside. Writes: an accepted
 * control, unchanged (its JSON, its signature headers, its time), or an accepted tombstone, to {@code acceptedChild},
 * the sink to the accepted controls topic every instance loads ({@link ControlLoader}). A refused record is logged on
 * one line, counted in {@link Suspensions#refusals()} and goes no further.
 *
 * <p>Why the verdict is written down rather than reached again by each reader: the controls topic is compacted, so in
 * time only the newest record per scope is left, refused or not, and a later policy may have rotated or removed the
 * operator who signed a switch. An instance that rebuilt its kill switches by judging that topic again (a new pod, a
 * lost volume) would reach other verdicts than those running since, and an unsigned record written after a signed
 * suspension would lift that suspension there once compaction dropped it.
 *
 * <p>Owns the store {@code storeName}: the control accepted last per scope of this task's partitions, as JSON.
 */
public final class ControlAcceptor implements Processor<byte[], byte[], String, String> {

    private static final Logger log = LoggerFactory.getLogger(ControlAcceptor.class);

    private final String storeName;
    private final CurrentPolicy policy;
    private final InputLimits limits;
    private final Suspensions suspensions;
    private final String acceptedChild;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, String> store;

    public ControlAcceptor(String storeName, CurrentPolicy policy, InputLimits limits, Suspensions suspensions, String acceptedChild) {
        this.storeName = storeName;
        this.policy = policy;
        this.limits = limits;
        this.suspensions = suspensions;
        this.acceptedChild = acceptedChild;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            refuse("(no key)", new ControlRefusal(ControlRefusal.Reason.UNREADABLE, "a control needs a key: an agent id or *"));
            return;
        }
        String scope = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            Optional<ControlRefusal> refusal = ControlJudge.tombstone(policy.get());
            if (refusal.isPresent()) {
                refuse(scope, refusal.get());
                return;
            }
            store.delete(scope);
            context.forward(record.withKey(scope).withValue((String) null), acceptedChild);
            return;
        }
        String json = new String(record.value(), StandardCharsets.UTF_8);
        Control control;
        try {
            control = Control.fromJson(json);
        } catch (IllegalArgumentException e) {
            refuse(scope, new ControlRefusal(ControlRefusal.Reason.UNREADABLE, e.getMessage()));
            return;
        }
        Optional<ControlRefusal> refusal = ControlJudge.overLimit(limits, scope, control).or(() -> ControlJudge.refusal(policy.get(), scope,
                control, record.headers(), inForce(scope), Instant.ofEpochMilli(record.timestamp())));
        if (refusal.isPresent()) {
            refuse(scope, refusal.get());
            return;
        }
        store.put(scope, json);
        context.forward(record.withKey(scope).withValue(json), acceptedChild);
    }

    /** The control accepted last for {@code scope}: only ever one this processor parsed, so it reads. */
    private Control inForce(String scope) {
        String stored = store.get(scope);
        return stored == null ? null : Control.fromJson(stored);
    }

    private void refuse(String scope, ControlRefusal refusal) {
        suspensions.refusals().count(refusal.reason());
        log.warn("control for {} refused ({}), nothing changes: {}", Printable.escape(scope), refusal.reason(),
                Printable.escape(refusal.message()));
    }
}
