package io.agentmediator.cases;

import io.agentmediator.gate.DependencyNotice;
import io.agentmediator.ledger.LedgerOutbox;
import io.agentmediator.partition.AgentPartition;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dependency reported FAILED or COMPENSATED after it had COMPLETED, told by the resource ledger to an intent its
 * completion woke that no longer waits: when that intent escalated meanwhile, its escalation is closed, rejected
 * DEPENDENCY_FAILED, and all it holds let go. An approver would otherwise execute an intent whose dependency is undone,
 * which the gate rejects when it decides. An intent already executed or rejected is past this; the ledger tells it all
 * the same, since whether it escalated is known only here.
 */
public final class DependencyReversals implements Processor<String, LedgerReply, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(DependencyReversals.class);

    private final CurrentPolicy policy;
    private final UnaryOperator<Decision> signDecision;
    private final Map<DecisionOutcome, String> routes;
    private final String auditChild;
    private final String requestsChild;
    private final String ownersChild;
    private final Duration dedupeRetention;
    private AgentPartition partition;
    private EscalationCloser closer;

    public DependencyReversals(CurrentPolicy policy, UnaryOperator<Decision> signDecision, Map<DecisionOutcome, String> routes,
            String auditChild, String requestsChild, String ownersChild, Duration dedupeRetention) {
        this.policy = policy;
        this.signDecision = signDecision;
        this.routes = routes;
        this.auditChild = auditChild;
        this.requestsChild = requestsChild;
        this.ownersChild = ownersChild;
        this.dedupeRetention = dedupeRetention;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        partition = AgentPartition.open(context, dedupeRetention);
        closer = new EscalationCloser(context, partition, new LedgerOutbox(context, requestsChild), signDecision, routes, auditChild,
                ownersChild);
    }

    @Override
    public void process(Record<String, LedgerReply> record) {
        LedgerReply reply = record.value();
        AuditRecord open = partition.escalation(reply.getIntentId());
        if (!DependencyNotice.concerns(reply, open)) {
            log.debug("dependency {} of {} was reported {} after the intent was decided", Printable.escape(reply.getDependency()),
                    Printable.escape(reply.getIntentId()), reply.getDependencyStatus());
            return;
        }
        Reason reason = new Reason(ReasonCode.DEPENDENCY_FAILED, null, "dependency " + Printable.escape(reply.getDependency())
                + " was reported " + reply.getDependencyStatus() + " after it had completed, while this intent was escalated; it"
                + " cannot go ahead, so the escalation is closed");
        closer.reject(open, reason, policy.get(), Instant.ofEpochMilli(record.timestamp()));
    }
}
