package io.agentmediator.gate;

import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.internal.LedgerReply;

/**
 * Whether the resource ledger's word on a task concerns the case filed under the intent id it names. A task keeps whom
 * its completion told for the case retention, longer than intent ids are remembered, so the case under the id now may be
 * another agent's, or a later intent of the same agent that never depended on the task.
 */
public final class DependencyNotice {

    private DependencyNotice() {}

    /** True when {@code caseFile} is the named agent's, and its intent depends on the task the reply is about. */
    public static boolean concerns(LedgerReply reply, AuditRecord caseFile) {
        return caseFile != null && caseFile.getIntent() != null && caseFile.getAgentId().equals(reply.getAgentId())
                && caseFile.getIntent().getDependsOn().contains(reply.getDependency());
    }
}
