package io.agentmediator.approvals;

import io.agentmediator.schema.AuditRecord;
import java.util.function.Predicate;

/**
 * What a reading of the audit topic keeps, so that it holds what a command shows rather than the whole topic: the
 * records of the keys {@code keys} accepts (judged on the raw key, before the value is decoded), each for as long as
 * its latest case file passes {@code keepWhile}.
 */
public record AuditSelection(Predicate<byte[]> keys, Predicate<AuditRecord> keepWhile) {

    /** One intent's case file and the answers about it that matched no case. */
    public static AuditSelection aboutIntent(String intentId) {
        return new AuditSelection(new KeysOfIntent(intentId), caseFile -> true);
    }

    /**
     * The open escalations that the filters keep (as {@link PendingEscalations#matches}): a case answered, or
     * escalated anew to another tier, leaves the reading when its later case file is read.
     *
     * @param tier    only escalations to this tier (case-insensitive); null for every tier
     * @param agentId only this agent's; null for every agent
     */
    public static AuditSelection openEscalations(String tier, String agentId) {
        return new AuditSelection(key -> true, caseFile -> PendingEscalations.matches(caseFile, tier, agentId));
    }
}
