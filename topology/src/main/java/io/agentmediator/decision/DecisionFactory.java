package io.agentmediator.decision;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import java.time.Instant;

/** Builds the Decision record the mediator publishes for a verdict. */
public final class DecisionFactory {

    public static final String MEDIATOR = "mediator";

    private DecisionFactory() {}

    /**
     * The unsigned decision, bound to the intent it decides: its digest, action, target, cost and
     * commitment, which the signature covers. A malformed intent may lack its agentId; then the
     * record key stands in, so the decision still reaches the partition and the agent that sent it.
     *
     * @param intentSha256 the SHA-256 of the intent's value bytes, or null where they are not at hand
     */
    public static Decision decide(String recordKey, AgentIntent intent, String intentSha256, Verdict verdict, String policyVersion,
            Instant at, Instant deadline) {
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
                .setIntentSha256(intentSha256)
                .setAction(intent.getAction())
                .setTarget(intent.getTarget())
                .setCostMicros(intent.getCostMicros())
                .setCommitmentMicros(intent.getCommitmentMicros())
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
