package io.agentmediator.sqldemo;

import io.agentmediator.connect.local.TopicReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Waits until the sinks have landed what is on the topics: {@code audit_trail} one row per key of the audit topic as
 * compaction leaves it, {@code decisions} one row per decision record. Both are read again on every look, because the
 * running pipeline may still write (an escalation expiring, housekeeping).
 */
final class SqlRows {

    private final String bootstrapServers;
    private final List<String> auditTopics;
    private final List<String> decisionTopics;

    SqlRows(String bootstrapServers, List<String> auditTopics, List<String> decisionTopics) {
        this.bootstrapServers = bootstrapServers;
        this.auditTopics = auditTopics;
        this.decisionTopics = decisionTopics;
    }

    /** The rows in both tables once they match the topics; fails naming both counts after {@code patience}. */
    Counts await(Connection sql, Duration patience) throws SQLException, InterruptedException {
        long giveUpAt = System.nanoTime() + patience.toNanos();
        while (true) {
            Counts onTopics = new Counts(TopicReader.latestByKey(TopicReader.readAll(bootstrapServers, auditTopics)).size(),
                    TopicReader.readAll(bootstrapServers, decisionTopics).size());
            Counts inTables = new Counts(count(sql, "audit_trail"), count(sql, "decisions"));
            if (inTables.equals(onTopics)) {
                return inTables;
            }
            if (System.nanoTime() - giveUpAt > 0) {
                throw new IllegalStateException("after " + patience + " the tables hold " + inTables + ", the topics " + onTopics);
            }
            Thread.sleep(1000);
        }
    }

    /** Rows of each table. */
    record Counts(long auditTrail, long decisions) {
        @Override
        public String toString() {
            return auditTrail + " case files and " + decisions + " decisions";
        }
    }

    /** Rows in {@code table}, 0 while the sink has not created it yet. */
    private static long count(Connection sql, String table) throws SQLException {
        try (Statement statement = sql.createStatement();
                ResultSet exists = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = '" + table + "'")) {
            exists.next();
            if (exists.getLong(1) == 0) {
                return 0;
            }
        }
        try (Statement statement = sql.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
