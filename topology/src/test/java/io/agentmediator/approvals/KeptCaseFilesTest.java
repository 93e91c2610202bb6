package io.agentmediator.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class KeptCaseFilesTest {

    private static final Instant AT = Instant.parse("2026-11-23T09:00:00Z");
    private static final Reason OVER = new Reason(ReasonCode.OVER_AUTHORITY, null, "commits 6,000.00");

    /** What each record's value stands for: the value is its index here, so decoding is counted, not performed. */
    private final List<AuditRecord> written = new ArrayList<>();
    private final AtomicInteger decoded = new AtomicInteger();
    private final Deserializer<AuditRecord> values = (topic, bytes) -> {
        decoded.incrementAndGet();
        return written.get(Integer.parseInt(new String(bytes, StandardCharsets.UTF_8)));
    };

    @Test
    void shouldKeepOnlyTheIntentsRecordsAndDecodeNoOtherValue() {
        // Given a reading about inv-42 and a topic with its case, a stray approval about it, and records of other keys
        KeptCaseFiles kept = new KeptCaseFiles(AuditSelection.aboutIntent("inv-42"), values);
        AuditRecord caseFile = SampleCases.approvedAndCompleted();
        AuditRecord stray = SampleCases.unmatchedApproval("inv-42", "agent.approvals-1@4", AT);

        // When the records are read
        kept.add(record("inv-420", SampleCases.escalated("inv-420", "finance-analyst", "MANAGER", AT, null, OVER)));
        kept.add(record("inv-42", caseFile));
        kept.add(record("inv-4", SampleCases.escalated("inv-4", "finance-analyst", "MANAGER", AT, null, OVER)));
        kept.add(record(stray.getIntentId(), stray));
        kept.add(record("inv-420#approval@agent.approvals-0@1", SampleCases.unmatchedApproval("inv-420", "agent.approvals-0@1", AT)));

        // Then only inv-42's two records are kept, and only theirs were decoded
        AuditSnapshot snapshot = kept.snapshot();
        assertThat(snapshot.size()).isEqualTo(2);
        assertThat(snapshot.caseFile("inv-42")).contains(caseFile);
        assertThat(snapshot.unmatched("inv-42")).containsExactly(stray);
        assertThat(decoded).hasValue(2);
        assertThat(snapshot.recordsRead()).isEqualTo(5);
    }

    @Test
    void shouldKeepTheLatestRecordOfAKeyAndForgetTheKeyAtATombstone() {
        // Given a reading about inv-42
        KeptCaseFiles kept = new KeptCaseFiles(AuditSelection.aboutIntent("inv-42"), values);
        AuditRecord escalated = SampleCases.escalated("inv-42", "finance-analyst", "MANAGER", AT, null, OVER);
        AuditRecord executed = SampleCases.answered(escalated, CaseStage.EXECUTE);
        AuditRecord stray = SampleCases.unmatchedApproval("inv-42", "agent.approvals-1@4", AT);

        // When its case is escalated then executed, and a stray approval about it is written then deleted
        kept.add(record("inv-42", escalated));
        kept.add(record(stray.getIntentId(), stray));
        kept.add(record("inv-42", executed));
        kept.add(tombstone(stray.getIntentId()));

        // Then the executed case file is what remains, alone
        AuditSnapshot snapshot = kept.snapshot();
        assertThat(snapshot.caseFile("inv-42")).contains(executed);
        assertThat(snapshot.unmatched("inv-42")).isEmpty();
        assertThat(snapshot.size()).isEqualTo(1);
    }

    @Test
    void shouldHoldAnEscalationOnlyUntilALaterCaseFileOfItsKeyClosesIt() {
        // Given a reading of the open escalations to MANAGER
        KeptCaseFiles kept = new KeptCaseFiles(AuditSelection.openEscalations("manager", null), values);
        AuditRecord first = SampleCases.escalated("inv-1", "finance-analyst", "MANAGER", AT, null, OVER);
        AuditRecord second = SampleCases.escalated("inv-2", "procurement-buyer", "MANAGER", AT, null, OVER);
        AuditRecord toBoard = SampleCases.escalated("inv-3", "finance-analyst", "MANAGER", AT, null, OVER);

        // When three are escalated, the first is then approved, the third escalated anew to the board, and one case completes
        kept.add(record("inv-1", first));
        kept.add(record("inv-2", second));
        kept.add(record("inv-3", toBoard));
        kept.add(record("inv-1", SampleCases.answered(first, CaseStage.EXECUTE)));
        kept.add(record("inv-3", SampleCases.escalated("inv-3", "finance-analyst", "BOARD", AT, null, OVER)));
        kept.add(record("inv-42", SampleCases.approvedAndCompleted()));

        // Then only the second is held
        AuditSnapshot snapshot = kept.snapshot();
        assertThat(snapshot.caseFiles()).containsExactly(second);
        assertThat(snapshot.size()).isEqualTo(1);
        assertThat(snapshot.recordsRead()).isEqualTo(6);
    }

    @Test
    void shouldNameTheRecordWhoseCaseFileCannotBeRead() {
        // Given a reading about inv-42
        KeptCaseFiles kept = new KeptCaseFiles(AuditSelection.aboutIntent("inv-42"), values);

        // When a record of its key holds no case file
        ConsumerRecord<byte[], byte[]> garbage = new ConsumerRecord<>("agent.audit", 2, 17, bytes("inv-42"), new byte[] {1, 2, 3});

        // Then reading fails, naming the key and where it is
        assertThatThrownBy(() -> kept.add(garbage))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot read the case file inv-42 at agent.audit-2@17");
    }

    private ConsumerRecord<byte[], byte[]> record(String key, AuditRecord caseFile) {
        written.add(caseFile);
        return new ConsumerRecord<>("agent.audit", 0, written.size(), bytes(key), bytes(String.valueOf(written.size() - 1)));
    }

    private ConsumerRecord<byte[], byte[]> tombstone(String key) {
        return new ConsumerRecord<>("agent.audit", 0, written.size(), bytes(key), null);
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
