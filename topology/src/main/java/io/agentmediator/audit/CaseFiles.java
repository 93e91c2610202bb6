package io.agentmediator.audit;

import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.gate.Verdict;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.TimelineEntry;
import java.time.Instant;
import java.util.List;

/** Builds the audit record (the case file) of an intent at each step of its story. */
public final class CaseFiles {

    private CaseFiles() {}

    /** The case file of an intent decided on arrival: received, checked, decided. */
    public static AuditRecord decided(AgentIntent intent, Verdict verdict, Decision decision, Instant at) {
        return AuditRecord.newBuilder()
                .setIntentId(intent.getIntentId())
                .setAgentId(intent.getAgentId())
                .setCorrelationId(DecisionFactory.correlationId(intent))
                .setStage(CaseStage.valueOf(decision.getOutcome().name()))
                .setIntent(intent)
                .setChecks(verdict.checks())
                .setDecision(decision)
                .setBudgets(List.of())
                .setOutcome(null)
                .setPolicyVersion(decision.getPolicyVersion())
                .setTimeline(
                        List.of(
                                new TimelineEntry(at, "RECEIVED", intent.getAgentId(), "intent " + intent.getAction() + " on " + intent.getTarget()),
                                new TimelineEntry(at, "DECIDED", decision.getDecidedBy(), summary(decision))))
                .setUpdatedAt(at)
                .build();
    }

    private static String summary(Decision decision) {
        StringBuilder text = new StringBuilder(decision.getOutcome().name());
        if (decision.getTier() != null) {
            text.append(" to ").append(decision.getTier());
        }
        decision.getReasons().forEach(r -> text.append("; ").append(r.getCode()).append(": ").append(r.getMessage()));
        return text.toString();
    }
}
