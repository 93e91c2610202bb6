package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.CaseFiles;
import io.agentmediator.contract.Contracts;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.decision.Verdict;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
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
 * The compliance queries of docs/AUDIT-SQL.md over rows the sinks landed in a real PostgreSQL, on what the mediator may
 * write that the demo's traffic does not: an intent id used again once {@code dedupe.retention} has passed (the
 * {@code Approval} schema says so), a budget whose limit is 0 (docs/POLICY.md, section 5).
 */
@Tag("slow")
class ComplianceQueriesIT {

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
                assertThat(Eventually.latest(PATIENCE, () -> count(sql, "decisions"), landed -> landed == 4)).isEqualTo(4);
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

    @Test
    void shouldShowABudgetWindowWhoseLimitIsZeroWithoutAPercentage() throws Exception {
        Contracts.trustGeneratedClasses();
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given an agent whose policy gives it a day budget of 0, admitted a free intent, which POLICY.md allows, and
            // another agent with an ordinary budget
            Instant at = Instant.parse("2026-11-23T09:00:00Z");
            Instant day = Instant.parse("2026-11-23T00:00:00Z");
            AuditRecord free = executed("free-1", "observer", new BudgetState("agent:observer", "DAY", day, 0L, 0L, 0L), at);
            AuditRecord paid = executed("paid-1", AGENT, new BudgetState("agent:" + AGENT, "DAY", day, 4_000_000L, 0L, 1_000_000L), at);
            sinks.send(LocalSinks.AUDIT, free.getIntentId(), free);
            sinks.send(LocalSinks.AUDIT, paid.getIntentId(), paid);

            // When the sink lands them and compliance asks for the budget windows
            sinks.startWorker();
            try (Connection sql = sinks.sql()) {
                assertThat(Eventually.latest(PATIENCE, () -> count(sql, "audit_trail"), landed -> landed == 2)).isEqualTo(2);
                List<Map<String, Object>> windows = ComplianceQueries.all().get("budget-windows").run(sql, Map.of());

                // Then both windows are answered, the one with no limit to use up without a share of it
                assertThat(windows).extracting(row -> row.get("scope") + " " + row.get("limit_micros") + " " + row.get("used_percent"))
                        .containsExactly("agent:buyer 4000000 25.0", "agent:observer 0 null");
            }
        }
    }

    private static AuditRecord executed(String id, String agent, BudgetState budget, Instant at) {
        AgentIntent intent = AgentIntent.newBuilder().setIntentId(id).setAgentId(agent).setAction("report.read").setTarget("erp")
                .setCostMicros(budget.getReservedMicros()).setConfidence(0.9).build();
        Decision decision = Decision.newBuilder().setIntentId(id).setAgentId(agent).setCorrelationId(id).setOutcome(DecisionOutcome.EXECUTE)
                .setPolicyVersion("compliance-queries-it").setDecidedAt(at).setDecidedBy(DecisionFactory.MEDIATOR).build();
        return CaseFiles.decided(id, intent, new Verdict(DecisionOutcome.EXECUTE, null, List.of(), List.of()), decision, List.of(budget), at,
                null);
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
                .setReasons(List.of(reason)).setPolicyVersion("compliance-queries-it").setDecidedAt(Instant.parse(at))
                .setDecidedBy(by).setIntentSha256(intentSha256).build();
    }

    private static String minutes(int minutes) {
        return new PGInterval(0, 0, 0, 0, minutes, 0).toString();
    }

    private static int count(Connection sql, String table) throws SQLException {
        try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
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
