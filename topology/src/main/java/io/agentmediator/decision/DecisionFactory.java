package io.agentmediator.decision;

import io.agentmediator.gate.Verdict;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import java.time.Instant;

/** Builds the Decision record the mediator publishes for a verdict. */
public final class DecisionFactory {

    public static final String MEDIATOR = "mediator";

    private DecisionFactory() {}

    public static Decision decide(AgentIntent intent, Verdict verdict, String policyVersion, Instant at) {
        return Decision.newBuilder()
                .setIntentId(intent.getIntentId())
                .setAgentId(intent.getAgentId())
                .setCorrelationId(correlationId(intent))
                .setOutcome(verdict.outcome())
                .setTier(verdict.tier())
                .setReasons(verdict.reasons())
                .setPolicyVersion(policyVersion)
                .setDecidedAt(at)
                .setDecidedBy(MEDIATOR)
                .setDeadline(null)
                .setSignature(null)
                .build();
    }

    /** The intent's correlation id, or its own id when the agent sent none. */
    public static String correlationId(AgentIntent intent) {
        String correlationId = intent.getCorrelationId();
        return correlationId == null || correlationId.isBlank() ? intent.getIntentId() : correlationId;
    }
}
