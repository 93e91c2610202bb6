package io.agentmediator.decision;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import java.time.Instant;

/** Builds the Decision record the mediator publishes for a verdict. */
public final class DecisionFactory {

    public static final String MEDIATOR = "mediator";

    private DecisionFactory() {}

    /**
     * The unsigned decision. A malformed intent may lack its agentId; then the record key stands
     * in, so the decision still reaches the partition and the agent that sent it.
     */
    public static Decision decide(
            String recordKey, AgentIntent intent, Verdict verdict, String policyVersion, Instant at, Instant deadline) {
        return Decision.newBuilder()
                .setIntentId(intent.getIntentId())
                .setAgentId(agentId(recordKey, intent))
                .setCorrelationId(correlationId(intent))
                .setOutcome(verdict.outcome())
                .setTier(verdict.tier())
                .setReasons(verdict.reasons())
                .setPolicyVersion(policyVersion)
                .setDecidedAt(at)
                .setDecidedBy(MEDIATOR)
                .setDeadline(deadline)
                .setSignature(null)
                .build();
    }

    /** The intent's agent id, or the record key when the intent names none. */
    public static String agentId(String recordKey, AgentIntent intent) {
        String agentId = intent.getAgentId();
        if (agentId != null && !agentId.isBlank()) {
            return agentId;
        }
        return recordKey == null ? "" : recordKey;
    }

    /** The intent's correlation id, or its own id when the agent sent none. */
    public static String correlationId(AgentIntent intent) {
        String correlationId = intent.getCorrelationId();
        return correlationId == null || correlationId.isBlank() ? intent.getIntentId() : correlationId;
    }
}
