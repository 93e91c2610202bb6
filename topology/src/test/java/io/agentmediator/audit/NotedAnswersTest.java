package io.agentmediator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.topics.Topics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Answers that changed nothing, each quoting a long refusal in three-byte characters (an approver's departments, an
 * executor's globs, as the policy names them): the case file they are noted in stays a small record.
 */
class NotedAnswersTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void shouldKeepACaseFileSmallWhateverTheRefusalsItNotesQuote() {
        // The serdes trust the generated classes, as the mediator's do before any case file is built
        Topics topics = new Topics("agent.", new InMemorySchemaRegistry("noted-answers"));
        AuditRecord caseFile = CaseFiles.unmatched("i-1", "i-1", "agent", "approval", "first", "approver", "v1", T0);
        String refusal = "approver a answers for [" + "営業部, ".repeat(3_000) + "], not for 経理";

        for (int i = 0; i < 200; i++) {
            caseFile = CaseFiles.noted(caseFile, Timeline.entry(T0.plusSeconds(i), "APPROVAL_REFUSED", "a", refusal));
        }

        assertThat(caseFile.getTimeline()).hasSize(CaseFiles.NOTED_UP_TO + 1)
                .allSatisfy(entry -> assertThat(entry.getDetail()).hasSizeLessThan(CaseFiles.NOTED_DETAIL_MAX_CHARS + 200));
        assertThat(topics.audit().valueSerde().serializer().serialize(topics.audit().name(), caseFile)).hasSizeLessThan(150_000);
    }
}
