package io.agentmediator.approvals;

import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The escalations still waiting for a human, oldest first, from the latest case files: those
 * whose stage is ESCALATE. The clock is injected so ages and time left can be tested.
 */
public final class PendingEscalations {

    private final Clock clock;

    public PendingEscalations(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param tier    only escalations to this tier (case-insensitive); null for every tier
     * @param agentId only this agent's; null for every agent
     */
    public List<PendingEscalation> from(Collection<AuditRecord> caseFiles, String tier, String agentId) {
        Instant now = clock.instant();
        return caseFiles.stream()
                .filter(caseFile -> matches(caseFile, tier, agentId))
                .map(caseFile -> pending(caseFile, now))
                .sorted(Comparator.comparing(PendingEscalation::escalatedAt).thenComparing(PendingEscalation::intentId))
                .toList();
    }

    /** Whether the case file is an open escalation that the filters (as {@link #from}'s) keep. */
    public static boolean matches(AuditRecord caseFile, String tier, String agentId) {
        return caseFile.getStage() == CaseStage.ESCALATE && caseFile.getDecision() != null
                && (tier == null || tier.equalsIgnoreCase(caseFile.getDecision().getTier()))
                && (agentId == null || agentId.equals(caseFile.getAgentId()));
    }

    private static PendingEscalation pending(AuditRecord caseFile, Instant now) {
        Decision escalation = caseFile.getDecision();
        Instant escalatedAt = escalation.getDecidedAt();
        Instant deadline = escalation.getDeadline();
        // Decision time is the agent's record timestamp; an agent's clock ahead of ours must not show a negative age.
        Duration age = escalatedAt.isAfter(now) ? Duration.ZERO : Duration.between(escalatedAt, now);
        return new PendingEscalation(
                caseFile.getIntentId(),
                caseFile.getAgentId(),
                escalation.getTier(),
                escalatedAt,
                age,
                deadline,
                deadline == null ? null : Duration.between(now, deadline),
                escalation.getReasons().isEmpty() ? "" : describe(escalation.getReasons().get(0)));
    }

    private static String describe(Reason reason) {
        String rule = reason.getRuleId() == null ? "" : " (" + reason.getRuleId() + ")";
        return reason.getCode() + rule + ": " + reason.getMessage();
    }
}
