package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sinks make of records the mediator's scenario in {@link AuditSqlIT} never sends, on a real broker, a
 * Connect worker in this JVM running both connectors as their files configure them, and a real PostgreSQL.
 */
@Tag("slow")
class AuditSqlSinkIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** How a NUL reads in PostgreSQL: the six characters of its escape. */
    private static final String ESCAPE = "\\u0000";

    @TempDir Path dir;

    @Test
    void shouldLandNulCharactersAsTheirEscapeAndGoOnToTheNextRecords() throws Exception {
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given a case file and a decision holding NUL characters, as anyone who may write agent.intents can cause,
            // each followed by an ordinary one
            AuditRecord withNul = SampleCaseFile.withNulCharacters();
            AuditRecord ordinary = SampleCaseFile.approvedAndCompleted();
            sinks.send(LocalSinks.AUDIT, withNul.getIntentId(), withNul);
            sinks.send(LocalSinks.AUDIT, ordinary.getIntentId(), ordinary);
            Decision decisionWithNul = SampleCaseFile.decisionWithNulCharacters();
            sinks.send(LocalSinks.REJECT, decisionWithNul.getAgentId(), decisionWithNul);
            sinks.send(LocalSinks.REJECT, "finance-analyst", SampleCaseFile.approvedDecision());

            // When the worker lands them
            sinks.startWorker();

            // Then PostgreSQL holds all four, each NUL as its escape, in text columns and in jsonb alike
            try (Connection sql = sinks.sql()) {
                Map<String, String> expectedCases = Map.of(
                        "untrusted:agent.intents-0@7:inv" + ESCAPE + "42", "invoice" + ESCAPE + ".create|because" + ESCAPE + "|posted" + ESCAPE,
                        "inv-42", "invoice.create|null|posted");
                assertThat(Eventually.latest(PATIENCE, () -> rows(sql, """
                        SELECT intent_id, action || '|' || coalesce(case_file->'intent'->>'reasoning', 'null') || '|'
                               || (case_file->'outcome'->>'detail')
                        FROM audit_trail"""), expectedCases::equals)).isEqualTo(expectedCases);
                Map<String, String> expectedDecisions = Map.of("inv" + ESCAPE + "42", "invoice" + ESCAPE + ".create|erp" + ESCAPE,
                        "inv-42", "null|null");
                assertThat(Eventually.latest(PATIENCE, () -> rows(sql, """
                        SELECT intent_id, coalesce(action, 'null') || '|' || coalesce(target, 'null') FROM decisions"""),
                        expectedDecisions::equals)).isEqualTo(expectedDecisions);
            }
        }
    }

    /** The first column of each row to the second; empty while the sink has not created the table. */
    private static Map<String, String> rows(Connection sql, String query) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
                rows.put(result.getString(1), result.getString(2));
            }
        } catch (SQLException e) {
            // undefined_table: the sink creates its table with the first records it writes.
            if (!"42P01".equals(e.getSQLState())) {
                throw e;
            }
        }
        return rows;
    }
}
