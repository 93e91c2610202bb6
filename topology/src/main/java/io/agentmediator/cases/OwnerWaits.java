package io.agentmediator.cases;

import io.agentmediator.audit.AuditKeys;
import io.agentmediator.audit.CaseFiles;
import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.keys.PruneIndex;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import io.agentmediator.metrics.DecisionMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approvals and outcomes whose intent has no known owner yet wait here for it, up to {@code wait}.
 *
 * <p>Why they may arrive first: the gate writes an intent's owner to the case-owners topic in the
 * transaction that publishes its decision, but the broker makes a transaction visible partition by
 * partition. An approver or executor that answers as soon as it reads the decision can have its answer
 * read here before the owner record of the same transaction is, and the answer would otherwise be
 * recorded as matching no case, changing nothing (the chaos suite found denials lost so). An answer
 * for an intent that never gets an owner (never decided, rejected, or its case closed) is recorded so
 * once its wait is over.
 *
 * <p>At most {@code maxWaiting} answers, of {@code maxWaitingBytes} together, wait at once (limits.answers.waiting.max and
 * .bytes). They are kept in memory, and anyone who may write approvals or outcomes can send answers for intents that do not
 * exist, each as large as its texts allow (some 200 KB): past either limit an answer is recorded at once as matching no
 * case, saying why, instead of growing the heap until every agent's partition stops with it.
 *
 * <p>Reads: case events from the case-routers (keyed by intent id) and the case-owners records
 * (intent id to agent id). Owns {@link CaseStores#ANSWERS_AWAITING_OWNER} and its due index. Writes:
 * a waiting event, re-keyed by its owner, to {@code eventsChild} when the owner comes; the case file of
 * an unmatched answer to {@code auditChild} when its wait is over.
 */
public final class OwnerWaits implements Processor<Object, Object, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(OwnerWaits.class);

    /** Digits of an epoch-millisecond record time in a key, zero-padded so keys of one intent sort by it. */
    private static final int TIME_DIGITS = 13;
    /** Digits of an answer's place among its intent's answers of one record time. */
    private static final int ORDER_DIGITS = 9;
    /** Marks the place in a key: after any character of a topic name, which an earlier version's keys had there. */
    private static final char ORDERED = '~';
    private static final StringSerializer PREFIXES = new StringSerializer();

    private final CurrentPolicy policy;
    private final Duration wait;
    private final int maxWaiting;
    private final long maxWaitingBytes;
    private final DecisionMetrics metrics;
    private final Duration checkInterval;
    private final String eventsChild;
    private final String auditChild;
    private final ReadHorizon horizon;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, CaseEvent> waiting;
    private PruneIndex due;
    /** The encoded size of the answers waiting, counted again from the store at each start. */
    private long waitingBytes;
    /** Whether the last answer found a limit reached: the WARN is said once each time one is. */
    private boolean full;

    /** @param metrics told of each answer recorded at once because {@code maxWaiting} others waited */
    public OwnerWaits(CurrentPolicy policy, Duration wait, int maxWaiting, long maxWaitingBytes, DecisionMetrics metrics, Duration checkInterval,
            String eventsChild, String auditChild, ReadHorizon horizon) {
        this.horizon = horizon;
        this.maxWaiting = maxWaiting;
        this.maxWaitingBytes = maxWaitingBytes;
        this.metrics = metrics;
        this.policy = policy;
        this.wait = wait;
        this.checkInterval = checkInterval;
        this.eventsChild = eventsChild;
        this.auditChild = auditChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        waiting = context.getStateStore(CaseStores.ANSWERS_AWAITING_OWNER);
        due = new PruneIndex(context.getStateStore(CaseStores.ANSWERS_AWAITING_OWNER_DUE));
        waitingBytes = 0;
        try (KeyValueIterator<String, CaseEvent> answers = waiting.all()) {
            answers.forEachRemaining(answer -> waitingBytes += bytes(answer.value));
        }
        // Wall-clock time: an answer for an intent nobody decided must be recorded even when nothing else arrives; but
        // after an outage its intent's owner may still be unread, so the wait counts up to what the task has read.
        PacedCheck.schedule(context, checkInterval, (now, max) -> expire(horizon.at(now), max));
    }

    @Override
    public void process(Record<Object, Object> record) {
        String intentId = (String) record.key();
        if (intentId == null) {
            return;
        }
        if (record.value() instanceof CaseEvent event) {
            if (event.getRefusal() != null) {
                // Refused already (unsigned, a signature that does not verify): it can change nothing in any case, and
                // kept waiting it would take a place that a real answer racing its intent's owner needs. Anyone who may
                // write answers, key or none, could otherwise fill the limits with forgeries and have real ones dropped.
                recordUnmatched(event, record.timestamp(), "has no owner here yet, and this answer was refused where it was read,"
                        + " so it is recorded at once rather than kept waiting");
                return;
            }
            int bytes = bytes(event);
            if (waiting.approximateNumEntries() >= maxWaiting) {
                refuseToKeep(event, record.timestamp(), maxWaiting + " answers already wait for theirs (limits.answers.waiting.max)");
                return;
            }
            if (waitingBytes + bytes > maxWaitingBytes) {
                refuseToKeep(event, record.timestamp(), "the answers waiting for theirs would take more than " + maxWaitingBytes
                        + " bytes with it (limits.answers.waiting.bytes)");
                return;
            }
            full = false;
            String key = key(intentId, record.timestamp(), nextPlace(intentId, record.timestamp()), event.getSource());
            waiting.put(key, event);
            waitingBytes += bytes;
            due.file(key, Instant.ofEpochMilli(context.currentSystemTimeMs()).plus(wait));
        } else if (record.value() instanceof String owner) {
            release(intentId, owner);
        }
    }

    /** Sends every answer that waited for {@code intentId}'s owner on to its case, at the time it arrived. */
    private void release(String intentId, String owner) {
        // Every decided intent's owner passes here and almost none has an answer waiting: an empty
        // in-memory store (its count is exact) costs no scan.
        if (waiting.approximateNumEntries() == 0) {
            return;
        }
        List<KeyValue<String, CaseEvent>> released = new ArrayList<>();
        try (KeyValueIterator<String, CaseEvent> answers = waiting.prefixScan(StoreKeys.prefix(intentId), PREFIXES)) {
            answers.forEachRemaining(released::add);
        }
        for (KeyValue<String, CaseEvent> answer : released) {
            waiting.delete(answer.key);
            waitingBytes -= bytes(answer.value);
            context.forward(new Record<>((Object) owner, (Object) answer.value, arrivedAt(answer.key)), eventsChild);
        }
    }

    /** Records up to {@code max} answers whose wait is over as matching no case; says whether it stopped at that bound. */
    private boolean expire(Instant now, int max) {
        List<String> expired = due.takeDue(now, max);
        for (String key : expired) {
            CaseEvent event = waiting.get(key);
            if (event == null) {
                continue;
            }
            waiting.delete(key);
            waitingBytes -= bytes(event);
            recordUnmatched(event, arrivedAt(key), "has no open case here: it was never decided, was rejected, or its case is closed");
        }
        return expired.size() >= max;
    }

    /** Records an answer that arrived while others filled the limit {@code limit} names as matching no case, at the time it arrived. */
    private void refuseToKeep(CaseEvent event, long arrived, String limit) {
        if (!full) {
            log.warn("approvals and outcomes waiting for their intent's owner reached a limit: {}; more are recorded as matching no case"
                    + " until fewer wait", limit);
            full = true;
        }
        metrics.answerNotKept();
        recordUnmatched(event, arrived, "has no owner here yet, and " + limit + ": this one was not kept; send it again once its"
                + " intent is decided");
    }

    private static int bytes(CaseEvent event) {
        return RecordSize.encodedBytes(event::toByteBuffer, "the answer for intent " + Printable.escape(event.getIntentId()));
    }

    private void recordUnmatched(CaseEvent event, long arrived, String why) {
        String kind = event.getApproval() != null ? "approval" : "outcome";
        String caseId = AuditKeys.unmatchedAnswer(event.getIntentId(), kind, event.getSource());
        String refused = event.getRefusal() == null ? "" : "; " + event.getRefusal();
        context.forward(new Record<>((Object) caseId, (Object) CaseFiles.unmatched(caseId, event.getIntentId(), "", kind,
                "intent " + event.getIntentId() + " " + why + "; this " + kind + " changes nothing" + refused, CaseRouter.actor(event),
                policy.get().version(), Instant.ofEpochMilli(arrived)), arrived), auditChild);
    }

    /**
     * Keyed by intent id first, so its owner finds its answers by prefix; then the answer's record time, kept for its case
     * file; then its place among the intent's answers of that time. Records a producer sends together share the broker's
     * append time, and those of one intent are applied in the order they were read: by their source alone
     * ({@code topic-partition@offset}, as text) offset 10 came before offset 9, and a denial sent after an approval decided.
     * The place follows {@link #ORDERED}, which sorts after every character of a topic name, so an answer an earlier
     * version kept under time and source alone, read before the upgrade, still comes first.
     */
    private static String key(String intentId, long timestamp, long place, String source) {
        return StoreKeys.scoped(intentId, at(timestamp) + ORDERED + String.format("%0" + ORDER_DIGITS + "d", place) + "|" + source);
    }

    /** One past the last place taken among the intent's answers of that time still waiting: places only grow, so none is reused. */
    private long nextPlace(String intentId, long timestamp) {
        String ordered = StoreKeys.scoped(intentId, at(timestamp) + ORDERED);
        long next = 0;
        try (KeyValueIterator<String, CaseEvent> same = waiting.prefixScan(ordered, PREFIXES)) {
            while (same.hasNext()) {
                String key = same.next().key;
                next = Long.parseLong(key.substring(ordered.length(), ordered.length() + ORDER_DIGITS)) + 1;
            }
        }
        return next;
    }

    private static String at(long timestamp) {
        return String.format("%0" + TIME_DIGITS + "d", timestamp) + "|";
    }

    private static long arrivedAt(String key) {
        return Long.parseLong(StoreKeys.afterScope(key).substring(0, TIME_DIGITS));
    }
}
