package io.agentmediator.cases;

import io.agentmediator.audit.AuditKeys;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.intake.DeadLetter;
import io.agentmediator.intake.RecordOrigin;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.limits.OverLimitException;
import io.agentmediator.limits.RecordLimits;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.text.Printable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends approvals and outcomes to the partition of the agent whose case they are about, with
 * their signature checked here, where the bytes and headers are ({@link CaseEventAuthentication}).
 *
 * <p>Reads: {@code agent.approvals} and {@code agent.outcomes} as bytes, keyed by intent id.
 * Reads the store {@link CaseStores#INTENT_OWNERS}. Writes: a {@link CaseEvent} keyed by agent id
 * to {@code eventsChild}; one whose intent has no owner here yet, keyed by intent id, to {@code
 * waitsChild} ({@link OwnerWaits}); an unreadable record, or one over its {@link RecordLimits}, to
 * {@code deadLetterChild}; one keyed by anything but its intent id, unchanged but for its key, to
 * the placed topic again ({@link Rekeying}), since only the intent id's partition holds its owner.
 * One whose schema the registry cannot give yet waits for it in the registry client, as an intent does.
 */
public final class CaseRouter implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(CaseRouter.class);

    private final CurrentPolicy policy;
    private final RecordLimits limits;
    private final String approvalsTopic;
    private final Deserializer<Approval> approvals;
    private final Deserializer<Outcome> outcomes;
    private final String eventsChild;
    private final String waitsChild;
    private final String deadLetterChild;
    private final Rekeying rekeying;
    /** The producer's {@code max.request.size}: a dead letter larger than this keeps only its key and why. */
    private final int maxRecordBytes;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, String> owners;

    public CaseRouter(
            CurrentPolicy policy,
            RecordLimits limits,
            String approvalsTopic,
            Deserializer<Approval> approvals,
            Deserializer<Outcome> outcomes,
            String eventsChild,
            String waitsChild,
            String deadLetterChild,
            Rekeying rekeying,
            int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.policy = policy;
        this.limits = limits;
        this.approvalsTopic = approvalsTopic;
        this.approvals = approvals;
        this.outcomes = outcomes;
        this.eventsChild = eventsChild;
        this.waitsChild = waitsChild;
        this.deadLetterChild = deadLetterChild;
        this.rekeying = rekeying;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        owners = context.getStateStore(CaseStores.INTENT_OWNERS);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        RecordOrigin origin = RecordOrigin.of(source.topic(), source.partition(), source.offset(), record.headers());
        Headers sent = RecordOrigin.producers(record.headers());
        String where = origin.where();
        boolean isApproval = source.topic().equals(approvalsTopic);
        CaseEvent event;
        try {
            if (record.value() == null) {
                throw new SerializationException("the record has no value (null)");
            }
            if (isApproval) {
                Approval approval = approvals.deserialize(source.topic(), record.headers(), record.value());
                refuseOverLimits("approval", limits.ofApproval(approval));
                refuseReservedId("approval", approval.getIntentId());
                event = new CaseEvent(approval.getIntentId(), approval, null, where, null);
            } else {
                Outcome outcome = outcomes.deserialize(source.topic(), record.headers(), record.value());
                refuseOverLimits("outcome", limits.ofOutcome(outcome));
                refuseReservedId("outcome", outcome.getIntentId());
                event = new CaseEvent(outcome.getIntentId(), null, outcome, where, null);
            }
            if (!RecordSize.fits(record.value(), sent, maxRecordBytes)) {
                // Kept where it was read (the placer could not move it): applied here but dead-lettered when moved, its key and
                // its producer's partitioner would decide whether it counts. Read first, so a malformed one is named so.
                throw new SerializationException("the record takes more than the producer's max.request.size (" + maxRecordBytes
                        + " bytes, less room for framing) allows, so it could not be moved to its case's partition; it is"
                        + " dead-lettered wherever it arrives");
            }
        } catch (SchemaRegistryUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("dead-lettering {}: {}", where, e.getMessage());
            DeadLetter letter = DeadLetter.of(record.key(), record.value(), sent, e, origin, null, maxRecordBytes);
            context.forward(record.withKey(letter.key()).withValue(letter.value()).withHeaders(letter.headers()), deadLetterChild);
            return;
        }
        byte[] intentKey = event.getIntentId().getBytes(StandardCharsets.UTF_8);
        if (!Arrays.equals(record.key(), intentKey)) {
            // Keyed by something else (the decision's key, nothing): it is in the wrong partition to find its
            // case, so it goes round again keyed by its intent id, its bytes and headers as they came, but for where its
            // producer wrote it, said as the placer says it (any header of that name its producer sent replaced).
            log.debug("{} is keyed by something else than its intent id {}; placing it by that id", where,
                    Printable.escape(event.getIntentId()));
            context.forward(record.withKey((Object) intentKey).withValue((Object) record.value())
                            .withHeaders(RecordOrigin.placedFrom(record.headers(), origin.topic(), origin.partition(), origin.offset())),
                    isApproval ? rekeying.approvalsChild() : rekeying.outcomesChild());
            return;
        }
        CaseEventAuthentication.atSource(policy.get(), event, record.value(), record.headers()).ifPresent(event::setRefusal);
        // An answer that names its agent goes to that agent's case: the owner of an id is the last agent decided under it.
        String named = event.getApproval() != null ? event.getApproval().getAgentId() : event.getOutcome().getAgentId();
        String owner = named != null ? named : owners.get(event.getIntentId());
        if (owner == null) {
            context.forward(record.withKey((Object) event.getIntentId()).withValue((Object) event), waitsChild);
            return;
        }
        context.forward(record.withKey((Object) owner).withValue((Object) event), eventsChild);
    }

    /** The children that place an approval, or an outcome, by its intent id when it came keyed otherwise. */
    public record Rekeying(String approvalsChild, String outcomesChild) {}

    /** A record over its limits is dead-lettered like an unreadable one: it changes nothing. */
    private static void refuseOverLimits(String kind, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new OverLimitException("the " + kind + " is over its limits: " + String.join("; ", problems));
        }
    }

    /**
     * No intent is decided under an id of the form of the mediator's own audit keys, so an answer naming one matches no case,
     * and would be filed under a key built from that id: which can be the key of another record (a forged intent's evidence)
     * that the compacted topic then loses.
     */
    private static void refuseReservedId(String kind, String intentId) {
        AuditKeys.reservedForm(intentId).ifPresent(problem -> {
            throw new OverLimitException("the " + kind + " names no intent the mediator may decide: " + problem);
        });
    }

    static String actor(CaseEvent event) {
        if (event.getApproval() != null) {
            return event.getApproval().getApproverId();
        }
        String reporter = event.getOutcome().getReportedBy();
        return reporter == null ? "executor" : reporter;
    }
}
