package io.agentmediator.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AuditRecord;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditSnapshotTest {

    @Test
    void shouldFindTheApprovalsOfAnIntentThatMatchedNoCaseOldestFirst() {
        // Given a case, two stray approvals about it, one about another intent, and a real intent whose id has a '#'
        AuditRecord caseFile = SampleCases.approvedAndCompleted();
        AuditRecord later = SampleCases.unmatchedApproval("inv-42", "agent.approvals-1@9", Instant.parse("2026-11-23T13:00:00Z"));
        AuditRecord earlier = SampleCases.unmatchedApproval("inv-42", "agent.approvals-1@4", Instant.parse("2026-11-23T12:00:00Z"));
        AuditRecord other = SampleCases.unmatchedApproval("inv-420", "agent.approvals-0@1", Instant.parse("2026-11-23T12:00:00Z"));
        AuditRecord hashIntent = AuditRecord.newBuilder(caseFile).setIntentId("inv-42#b").build();
        AuditSnapshot snapshot = new AuditSnapshot(Map.of(
                "inv-42", caseFile, later.getIntentId(), later, earlier.getIntentId(), earlier,
                other.getIntentId(), other, "inv-42#b", hashIntent), 5);

        // When asked for the case and what is related to it
        var found = snapshot.caseFile("inv-42");
        var related = snapshot.unmatched("inv-42");

        // Then the case is found and only its own stray approvals are related, oldest first
        assertThat(found).contains(caseFile);
        assertThat(related).containsExactly(earlier, later);
        assertThat(snapshot.caseFile("inv-43")).isEmpty();
    }
}
