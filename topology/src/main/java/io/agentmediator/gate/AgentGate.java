package io.agentmediator.gate;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.intake.ReceivedIntent;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
  * The agent gate: decides every intent in the partition of its agent, in one hop.
  *
  * <p>Reads: decoded intents keyed by the record key. Writes: the Decision, keyed by agent id,
  * to the child for its outcome ({@code routes}); the case file, keyed by intent id, to
  * {@code auditChild}. The decision time is the record timestamp, so a replay decides the same.
  */
public final class AgentGate implements Processor<String, ReceivedIntent, String, Object> {

    private final CurrentPolicy policy;
    private final IntentChecks checks = new IntentChecks();
    private final Map<DecisionOutcome, String> routes;
    private final String auditChild;
    private ProcessorContext<String, Object> context;

    public AgentGate(CurrentPolicy policy, Map<DecisionOutcome, String> routes, String auditChild) {
        this.policy = policy;
        this.routes = new EnumMap<>(routes);
        this.auditChild = auditChild;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, ReceivedIntent> record) {
        Policy inForce = policy.get();
        AgentIntent intent = record.value().intent();
        Instant at = Instant.ofEpochMilli(record.timestamp());
        Verdict verdict = checks.check(intent, inForce);
        Decision decision = DecisionFactory.decide(intent, verdict, inForce.version(), at);
        AuditRecord caseFile = CaseFiles.decided(intent, verdict, decision, at);
        context.forward(record.withKey(intent.getAgentId()).withValue(decision), routes.get(decision.getOutcome()));
        context.forward(record.withKey(intent.getIntentId()).withValue(caseFile), auditChild);
    }
}
