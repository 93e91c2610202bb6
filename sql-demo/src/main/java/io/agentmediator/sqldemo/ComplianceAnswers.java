package io.agentmediator.sqldemo;

import io.agentmediator.connect.ComplianceQueries;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * A few of the compliance queries (connectors/sql/compliance-queries.sql, shown in docs/AUDIT-SQL.md), each printed
 * with its answer: the reasons intents were rejected for, who approved escalations and how fast, what each agent
 * spent, and the whole story of one approved escalation.
 */
final class ComplianceAnswers {

    private static final String APPROVED = "escalations-approved";
    private static final String STORY = "story-of-an-intent";
    private static final List<String> SHOWN = List.of("rejected-by-reason", APPROVED, "spend-by-agent-and-month", STORY);

    private final PrintStream out;
    private final int rows;

    ComplianceAnswers(PrintStream out, int rows) {
        this.out = out;
        this.rows = rows;
    }

    void print(Connection sql) throws SQLException {
        Map<String, ComplianceQueries.Query> queries = ComplianceQueries.all();
        Map<String, Object> values = Map.of("intent", storyToTell(sql, queries.get(APPROVED)));
        for (String name : SHOWN) {
            ComplianceQueries.Query query = queries.get(name);
            out.println();
            out.println("-- " + name);
            out.println(query.text() + ";");
            QueryTable.lines(query.run(sql, values), rows).forEach(out::println);
        }
    }

    /** The first approved escalation, whose story has the most to it; any intent when nothing was approved. */
    private static String storyToTell(Connection sql, ComplianceQueries.Query approved) throws SQLException {
        List<Map<String, Object>> escalations = approved.run(sql, Map.of());
        if (!escalations.isEmpty()) {
            return (String) escalations.get(0).get("intent_id");
        }
        try (var statement = sql.createStatement(); var result = statement.executeQuery("SELECT min(intent_id) FROM audit_trail")) {
            result.next();
            return result.getString(1);
        }
    }
}
