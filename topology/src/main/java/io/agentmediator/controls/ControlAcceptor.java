package io.agentmediator.controls;

import io.agentmediator.intake.RecordOrigin;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.text.Printable;
import io.agentmediator.text.Utf8;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
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
 * control (its fields as JSON, its signature headers alone, its time), or an accepted tombstone, to {@code acceptedChild},
 * the sink to the accepted controls topic every instance loads ({@link ControlLoader}). A refused record is logged on
 * one line, counted in {@link Suspensions#refusals()} and goes no further.
 *
 * <p>Why the verdict is written down rather than reached again by each reader: the controls topic is compacted, so in
 * time only the newest record per scope is left, refused or not, and a later policy may have rotated or removed the
 * operator who signed a switch. An instance that rebuilt its kill switches by judging that topic again (a new pod, a
 * lost volume) would reach other verdicts than those running since, and an unsigned record written after a signed
 * suspension would lift that suspension there once compaction dropped it.
 *
 * <p>Owns the store {@code storeName}: the control accepted last per scope of this task's partitions, as JSON. Reads the
 * global store of accepted controls too.
 */
public final class ControlAcceptor implements Processor<byte[], byte[], String, String> {

    private static final Logger log = LoggerFactory.getLogger(ControlAcceptor.class);
    private static final int REFUSAL_MAX_CHARS = 1_000;

    private final String storeName;
    private final String acceptedStoreName;
    private final CurrentPolicy policy;
    private final InputLimits limits;
    private final Suspensions suspensions;
    private final String acceptedChild;
    private final int maxRecordBytes;
    private ProcessorContext<String, String> context;
    private KeyValueStore<String, String> store;
    private KeyValueStore<String, String> acceptedEverywhere;

    /**
     * @param acceptedStoreName the global store of accepted controls ({@link ControlLoader}'s), read only
     * @param maxRecordBytes    the producer's {@code max.request.size}
     */
    public ControlAcceptor(String storeName, String acceptedStoreName, CurrentPolicy policy, InputLimits limits, Suspensions suspensions,
            String acceptedChild, int maxRecordBytes) {
        this.storeName = storeName;
        this.acceptedStoreName = acceptedStoreName;
        this.maxRecordBytes = maxRecordBytes;
        this.policy = policy;
        this.limits = limits;
        this.suspensions = suspensions;
        this.acceptedChild = acceptedChild;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        store = context.getStateStore(storeName);
        acceptedEverywhere = context.getStateStore(acceptedStoreName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        // Strictly: read leniently, two keys of other bytes (on other partitions) would be one scope.
        Optional<String> scope = record.key() == null ? Optional.empty() : Utf8.strict(record.key());
        if (scope.isEmpty()) {
            refuse("(no key)", new ControlRefusal(ControlRefusal.Reason.UNREADABLE, record.key() == null
                    ? "a control needs a key: an agent id or *" : "the record key is not valid UTF-8"));
            return;
        }
        // The placer keeps a record too large to move where it was read: refused here, it gets one answer on any partition.
        if (!RecordSize.fits(record.value(), RecordOrigin.producers(record.headers()), maxRecordBytes)) {
            refuse(scope.get(), new ControlRefusal(ControlRefusal.Reason.OVER_LIMIT, "the record takes more than the producer's"
                    + " max.request.size (" + maxRecordBytes + " bytes) allows, so it could not be moved to its key's partition"));
            return;
        }
        if (record.value() == null) {
            tombstone(scope.get(), record);
            return;
        }
        Optional<String> json = Utf8.strict(record.value());
        if (json.isEmpty()) {
            refuse(scope.get(), new ControlRefusal(ControlRefusal.Reason.UNREADABLE, "the value is not valid UTF-8"));
            return;
        }
        Control control;
        try {
            control = Control.fromJson(json.get());
        } catch (IllegalArgumentException e) {
            refuse(scope.get(), new ControlRefusal(ControlRefusal.Reason.UNREADABLE, e.getMessage()));
            return;
        }
        AcceptedControl last = inForce(scope.get());
        Optional<ControlRefusal> refusal = ControlJudge.overLimit(limits, scope.get(), control).or(() -> ControlJudge.refusal(policy.get(),
                scope.get(), control, record.headers(), last, Instant.ofEpochMilli(record.timestamp()),
                Instant.ofEpochMilli(context.currentSystemTimeMs())));
        if (refusal.isPresent()) {
            refuse(scope.get(), refusal.get());
            return;
        }
        // Its fields, not its bytes: what was signed is the canonical form, and padding around it must not reach the store.
        String accepted = new AcceptedControl(control, last == null ? control.at() : last.notBefore()).toJson();
        Headers carried = ControlSignatures.carried(record.headers());
        if (!RecordSize.fits(accepted.getBytes(StandardCharsets.UTF_8), carried, maxRecordBytes)) {
            // Stored but not sent on, it would be in force nowhere and make the operator's own record stale.
            refuse(scope.get(), new ControlRefusal(ControlRefusal.Reason.OVER_LIMIT, "passed on with its signature headers it would"
                    + " take more than the producer's max.request.size (" + maxRecordBytes + " bytes) allows"));
            return;
        }
        store.put(scope.get(), accepted);
        context.forward(new Record<>(scope.get(), accepted, record.timestamp(), carried), acceptedChild);
        warnIfUnlisted(scope.get(), control);
    }

    /**
     * A switch on an id the policy does not list is put in force all the same, since an agent may be suspended before a policy
     * lists it; but a mistyped id in an incident stops nobody while the switch looks pulled, so the operator must hear it.
     */
    private void warnIfUnlisted(String scope, Control control) {
        if (!scope.equals(Suspensions.ALL) && policy.get().agent(scope).isEmpty()) {
            log.warn("{} of {} by {} is in force, but policy {} lists no agent of that id: it changes nothing for any agent it lists"
                    + " (a mistyped id?)", control.action(), Printable.escape(scope, limits.idMaxChars()),
                    Printable.escape(control.by(), limits.idMaxChars()), policy.get().version());
        }
    }

    private void tombstone(String scope, Record<byte[], byte[]> record) {
        Optional<ControlRefusal> refusal = ControlJudge.tombstone(policy.get());
        if (refusal.isPresent()) {
            refuse(scope, refusal.get());
            return;
        }
        store.delete(scope);
        context.forward(new Record<String, String>(scope, null, record.timestamp()), acceptedChild);
    }

    /**
     * The control accepted last for {@code scope}: this task's own, or the one every instance holds when that is later,
     * so a task whose store was lost (a new application id, a copy of the accepted topic without this store's changelog)
     * still refuses a replay older than the switch in force.
     */
    private AcceptedControl inForce(String scope) {
        AcceptedControl own = parsed(store.get(scope));
        AcceptedControl everywhere = parsed(acceptedEverywhere.get(scope));
        if (own == null || (everywhere != null && everywhere.notBefore().isAfter(own.notBefore()))) {
            return everywhere;
        }
        return own;
    }

    /** A stored control: only ever one this processor or the loader parsed, so it reads. */
    private static AcceptedControl parsed(String json) {
        return json == null ? null : AcceptedControl.fromJson(json);
    }

    private void refuse(String scope, ControlRefusal refusal) {
        suspensions.refusals().count(refusal.reason());
        // A refusal may quote what the record carried (a key id header has no bound of its own).
        log.warn("control for {} refused ({}), nothing changes: {}", Printable.escape(scope, limits.idMaxChars()), refusal.reason(),
                Printable.escape(refusal.message(), REFUSAL_MAX_CHARS));
    }
}
