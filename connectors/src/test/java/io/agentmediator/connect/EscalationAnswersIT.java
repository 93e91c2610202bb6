package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.Contracts;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PGInterval;

/**
 * Queries 2 and 3 of docs/AUDIT-SQL.md pair each approver's answer with the escalation it answered, on the decisions
 * the sink landed in a real PostgreSQL. An agent may use an intent id again once {@code dedupe.retention} has passed
 * (the {@code Approval} schema says so), so an intent id alone does not name one escalation.
 */
@Tag("slow")
class EscalationAnswersIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String AGENT = "buyer";
    private static final String ID = "inv-42";

    @TempDir Path dir;

    @Test
    void shouldPairEachAnswerWithTheEscalationOfItsOwnUseOfAReusedIntentId() throws Exception {
        Contracts.trustGeneratedClasses();
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given buyer's inv-42 escalated on 2 November, decided before decisions carried the intent's digest, and approved
            // by maria 5 minutes later; then, a month on, a new intent under the same id escalated and approved by bob in 30
            String second = "b".repeat(64);
            sinks.send(LocalSinks.ESCALATE, AGENT, escalation("2026-11-02T09:00:00Z", null));
            sinks.send(LocalSinks.EXECUTE, AGENT, approval("2026-11-02T09:05:00Z", "maria", null));
            sinks.send(LocalSinks.ESCALATE, AGENT, escalation("2026-12-02T10:00:00Z", second));
            sinks.send(LocalSinks.EXECUTE, AGENT, approval("2026-12-02T10:30:00Z", "bob", second));

            // When the sink lands them and compliance asks who approved what, and how fast
            sinks.startWorker();
            try (Connection sql = sinks.sql()) {
                assertThat(Eventually.latest(PATIENCE, () -> count(sql), landed -> landed == 4)).isEqualTo(4);
                Map<String, ComplianceQueries.Query> queries = ComplianceQueries.all();
                List<Map<String, Object>> approved = queries.get("escalations-approved").run(sql, Map.of());
                List<Map<String, Object>> approvers = queries.get("approvers-answers").run(sql, Map.of());

                // Then each approval counts once, against the escalation it answered
                assertThat(approved).extracting(row -> row.get("approver") + " " + row.get("waited"))
                        .containsExactly("bob " + minutes(30), "maria " + minutes(5));
                assertThat(approvers).extracting(row -> row.get("approver") + " " + row.get("approved") + " " + row.get("longest_wait"))
                        .containsExactly("bob 1 " + minutes(30), "maria 1 " + minutes(5));
            }
        }
    }

    private static Decision escalation(String at, String intentSha256) {
        return decision(DecisionOutcome.ESCALATE, "MANAGER", new Reason(ReasonCode.OVER_AUTHORITY, null, "over its authority"),
                DecisionFactory.MEDIATOR, at, intentSha256);
    }

    private static Decision approval(String at, String approver, String intentSha256) {
        return decision(DecisionOutcome.EXECUTE, null, new Reason(ReasonCode.APPROVED, null, "approved by " + approver), approver, at,
                intentSha256);
    }

    private static Decision decision(DecisionOutcome outcome, String tier, Reason reason, String by, String at, String intentSha256) {
        return Decision.newBuilder().setIntentId(ID).setAgentId(AGENT).setCorrelationId(ID).setOutcome(outcome).setTier(tier)
                .setReasons(List.of(reason)).setPolicyVersion("escalation-answers-it").setDecidedAt(Instant.parse(at))
                .setDecidedBy(by).setIntentSha256(intentSha256).build();
    }

    private static String minutes(int minutes) {
        return new PGInterval(0, 0, 0, 0, minutes, 0).toString();
    }

    private static int count(Connection sql) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery("SELECT count(*) FROM decisions")) {
            result.next();
            return result.getInt(1);
        } catch (SQLException e) {
            // undefined_table: the sink creates its table with the first records it writes.
            if ("42P01".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }
}
