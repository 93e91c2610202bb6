package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.AuditKeys;
import io.agentmediator.audit.CaseFiles;
import io.agentmediator.audit.Timeline;
import io.agentmediator.connect.local.TopicReader;
import io.agentmediator.contract.Contracts;
import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.decision.Verdict;
import io.agentmediator.embedded.EmbeddedSchemaRegistry;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.serde.AvroSerializer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sinks on records each test sends itself, rather than the mediator's scenario of {@link AuditSqlIT}, on a real
 * broker, a Connect worker in this JVM running both connectors as their files configure them, and a real PostgreSQL:
 * NUL characters, the budget windows of query 5, the columns docs/AUDIT-SQL.md lists, an unreachable registry, an
 * unreadable record, and a failed task as the chart's alerts see it.
 */
@Tag("slow")
class AuditSqlSinkIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    /** How a NUL reads in PostgreSQL: the six characters of its escape. */
    private static final String ESCAPE = "\\u0000";
    private static final String POLICY_VERSION = "audit-sql-sink-it";
    private static final Instant DAY = Instant.parse("2026-11-23T00:00:00Z");
    private static final Path CHART = Path.of("..", "helm", "agent-mediator");

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

    /**
     * PostgreSQL indexes at most 2,704 bytes of a key. An agent chooses the id its case file is keyed by, up to
     * {@code limits.id.max.chars}: a key the table cannot index would fail the task on it at every restart, and every case
     * file after it would wait behind it.
     */
    @Test
    void shouldLandTheLongestKeyAnAgentCanCauseAndGoOn() throws Exception {
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given the case file of an intent rejected before its id was trusted, whose key says where it was read: the last
            // offset of a partition of a topic named as long as Kafka allows; its id as long as limits.id.max.chars may be, of
            // random CJK characters (three bytes each, which PostgreSQL cannot compress away, as it does a run of NULs'
            // escapes); then an ordinary case file
            String where = "t".repeat(249) + "-" + Integer.MAX_VALUE + "@" + Long.MAX_VALUE;
            Random random = new Random(20261207);
            String id = random.ints(InputLimits.ID_MAX_CHARS_CEILING, 0x4E00, 0x9FA0)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            String longest = AuditKeys.untrusted(where, id);
            AuditRecord untrusted = AuditRecord.newBuilder(SampleCaseFile.received()).setIntentId(longest).build();
            AuditRecord ordinary = SampleCaseFile.approvedAndCompleted();
            sinks.send(LocalSinks.AUDIT, longest, untrusted);
            sinks.send(LocalSinks.AUDIT, ordinary.getIntentId(), ordinary);

            // When the worker lands them
            sinks.startWorker();

            // Then both are there, and no task failed
            try (Connection sql = sinks.sql()) {
                Map<String, String> landed = Eventually.latest(PATIENCE, () -> rows(sql, "SELECT intent_id, octet_length(intent_id) FROM audit_trail"),
                        rows -> rows.size() == 2);
                assertThat(landed).containsEntry(longest, String.valueOf(longest.getBytes(StandardCharsets.UTF_8).length)).containsKey("inv-42");
                assertThat(LocalSinks.workerMetric("agent-audit-sql", "connector-failed-task-count")).as("failed audit tasks").isZero();
            }
        }
    }

    @Test
    void shouldShowEachBudgetWindowAsItsLatestSnapshotLeftItNotAsTheCaseFileWrittenLast() throws Exception {
        Contracts.trustGeneratedClasses();
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given buyer's day: escalation e-2 at 09:00 (2.00 reserved), x-4 at 09:00:10 (5.00 reserved in all), then e-2
            // approved at 09:01, whose case file keeps the budgets of 09:00
            AuditRecord escalated = decided("e-2", "buyer", 2_000_000, DecisionOutcome.ESCALATE, "09:00:00", day("buyer", 0, 2_000_000));
            AuditRecord executed = decided("x-4", "buyer", 3_000_000, DecisionOutcome.EXECUTE, "09:00:10", day("buyer", 0, 5_000_000));
            AuditRecord approved = approved(escalated, "09:01:00");
            // And planner's day: x-5 at 09:00:20 (1.00 reserved), x-6 at 09:00:30 (3.00 in all), x-5 completed at 09:02 (1.00
            // spent, 2.00 reserved), then x-6 forgotten at 10:00 with no outcome: its 2.00 counts as spent (3.00 spent in all)
            AuditRecord first = decided("x-5", "planner", 1_000_000, DecisionOutcome.EXECUTE, "09:00:20", day("planner", 0, 1_000_000));
            AuditRecord second = decided("x-6", "planner", 2_000_000, DecisionOutcome.EXECUTE, "09:00:30", day("planner", 0, 3_000_000));
            AuditRecord completed = completed(first, "09:02:00", day("planner", 1_000_000, 2_000_000));
            AuditRecord forgotten = forgotten(second, "10:00:00", day("planner", 3_000_000, 0));
            List<AuditRecord> latest = List.of(executed, approved, completed, forgotten);
            for (AuditRecord caseFile : List.of(escalated, executed, first, second, approved, completed, forgotten)) {
                sinks.send(LocalSinks.AUDIT, caseFile.getIntentId(), caseFile);
            }

            // When the worker lands them and compliance asks for the budget windows
            sinks.startWorker();
            try (Connection sql = sinks.sql()) {
                Map<String, String> landed = latest.stream().collect(Collectors.toMap(AuditRecord::getIntentId,
                        caseFile -> String.valueOf(caseFile.getUpdatedAt().toEpochMilli())));
                assertThat(Eventually.latest(PATIENCE, () -> rows(sql,
                        "SELECT intent_id, (extract(epoch FROM updated_at) * 1000)::bigint FROM audit_trail"), landed::equals)).isEqualTo(landed);
                List<Map<String, Object>> windows = ComplianceQueries.all().get("budget-windows").run(sql, Map.of());

                // Then each window shows the budgets as the latest snapshot in any case file left them
                assertThat(windows).extracting(row -> row.get("scope") + " " + row.get("window") + " spent " + row.get("spent_micros")
                        + " reserved " + row.get("reserved_micros")).containsExactly(
                        "agent:buyer DAY spent 0 reserved 5000000", "agent:planner DAY spent 3000000 reserved 0");
            }
        }
    }

    @Test
    void shouldCreateTheColumnsDocsAuditSqlListsAndNoOthers() throws Exception {
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given a case file and a decision, every field of their schemas
            AuditRecord caseFile = SampleCaseFile.approvedAndCompleted();
            sinks.send(LocalSinks.AUDIT, caseFile.getIntentId(), caseFile);
            sinks.send(LocalSinks.REJECT, "finance-analyst", SampleCaseFile.approvedDecision());

            // When the worker lands them, creating the tables
            sinks.startWorker();

            // Then each table has the columns docs/AUDIT-SQL.md lists for it
            String doc = Files.readString(Path.of("..", "docs", "AUDIT-SQL.md"));
            try (Connection sql = sinks.sql()) {
                for (String table : List.of("audit_trail", "decisions")) {
                    Set<String> documented = documentedColumns(doc, table);
                    assertThat(Eventually.latest(PATIENCE, () -> columns(sql, table), documented::equals)).as(table).isEqualTo(documented);
                }
            }
        }
    }

    @Test
    void shouldRetryARecordWhileTheRegistryIsUnreachableAndLandItOnceItAnswers() throws Exception {
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given a case file on the topic, and a worker whose registry does not answer yet
            AuditRecord caseFile = SampleCaseFile.approvedAndCompleted();
            sinks.send(LocalSinks.AUDIT, caseFile.getIntentId(), caseFile);
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            sinks.startWorker("http://127.0.0.1:" + port);
            assertThat(Eventually.latest(PATIENCE, () -> LocalSinks.taskMetric("task-error-metrics", "agent-audit-sql", "total-retries"),
                    retries -> retries > 1)).as("retries on the unreachable registry, which AuditSqlSinkRetrying reads").isGreaterThan(1);

            // When the registry answers, with the case file's schema under the same id from its first answer on: registered
            // into its kept registrations before it listens, as a registry restarted on its storage serves them. Registered
            // after it listened, a retry in between found the id unknown and rightly dead-lettered the record (CI of
            // f1c6977, at a load of 8).
            Path kept = Files.createDirectories(dir.resolve("registry"));
            try (EmbeddedSchemaRegistry before = EmbeddedSchemaRegistry.start(0, kept);
                    AvroSerializer<AuditRecord> serializer = new AvroSerializer<>(SchemaRegistryClients.forUrl(before.url(), Map.of()))) {
                serializer.serialize(LocalSinks.AUDIT, caseFile);
            }
            try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(port, kept);
                    Connection sql = sinks.sql()) {
                // Then the worker lands the record it was retrying, rather than skipping it
                Map<String, String> expected = Map.of(caseFile.getIntentId(), caseFile.getAgentId());
                assertThat(Eventually.latest(PATIENCE, () -> rows(sql, "SELECT intent_id, agent_id FROM audit_trail"), expected::equals))
                        .as("landed once " + registry.url() + " answered").isEqualTo(expected);
                assertThat(LocalSinks.taskMetric("task-error-metrics", "agent-audit-sql", "total-records-skipped")).isZero();
            }
        }
    }

    @Test
    void shouldLandWhatArrivedWhilePostgresRestartedWithoutFailingATask() throws Exception {
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given both sinks writing to PostgreSQL
            AuditRecord first = SampleCaseFile.approvedAndCompleted();
            sinks.send(LocalSinks.AUDIT, first.getIntentId(), first);
            sinks.startWorker();
            try (Connection sql = sinks.sql()) {
                Map<String, String> expected = Map.of(first.getIntentId(), first.getAgentId());
                assertThat(Eventually.latest(PATIENCE, () -> rows(sql, "SELECT intent_id, agent_id FROM audit_trail"), expected::equals))
                        .isEqualTo(expected);
            }

            // When PostgreSQL goes down, as for a minor upgrade or a failover, while a case file and a decision arrive, for
            // longer than the JDBC sink's own default retries (five, a second apart), and comes back
            sinks.stopPostgres();
            AuditRecord second = decided("restart-2", "finance-analyst", 2_000_000L, DecisionOutcome.EXECUTE, "10:00:00",
                    day("finance-analyst", 0, 2_000_000L));
            sinks.send(LocalSinks.AUDIT, second.getIntentId(), second);
            sinks.send(LocalSinks.REJECT, "finance-analyst", SampleCaseFile.approvedDecision());
            assertThat(Eventually.latest(PATIENCE, () -> LocalSinks.taskMetric("sink-task-metrics", "agent-audit-sql", "sink-record-read-total"),
                    read -> read >= 2)).as("case files read while PostgreSQL was down").isGreaterThanOrEqualTo(2);
            Thread.sleep(Duration.ofSeconds(15).toMillis());
            sinks.startPostgres();

            // Then both land, and neither sink's task failed on the way
            try (Connection sql = sinks.sql()) {
                Map<String, String> expected = Map.of(first.getIntentId(), first.getAgentId(), second.getIntentId(), second.getAgentId());
                assertThat(Eventually.latest(PATIENCE, () -> rows(sql, "SELECT intent_id, agent_id FROM audit_trail"), expected::equals))
                        .as("case files once PostgreSQL was back").isEqualTo(expected);
                assertThat(Eventually.latest(PATIENCE, () -> rows(sql, "SELECT intent_id, agent_id FROM decisions"), landed -> !landed.isEmpty()))
                        .as("decisions once PostgreSQL was back").hasSize(1);
            }
            for (String connector : List.of("agent-audit-sql", "agent-decisions-sql")) {
                assertThat(LocalSinks.workerMetric(connector, "connector-failed-task-count")).as(connector).isZero();
                assertThat(LocalSinks.workerMetric(connector, "connector-running-task-count")).as(connector).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldDeadLetterARecordItCannotReadAndLandTheNext() throws Exception {
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given a record on the audit topic that is not Avro in our wire format, then a case file
            byte[] unreadable = "not a case file".getBytes(StandardCharsets.UTF_8);
            sinks.send(LocalSinks.AUDIT, "unreadable-1", unreadable);
            AuditRecord caseFile = SampleCaseFile.approvedAndCompleted();
            sinks.send(LocalSinks.AUDIT, caseFile.getIntentId(), caseFile);

            // When the worker reads them
            sinks.startWorker();

            // Then the case file lands, and the record it could not read is on the connector's dead-letter topic, saying
            // where it came from and why
            try (Connection sql = sinks.sql()) {
                Map<String, String> expected = Map.of(caseFile.getIntentId(), caseFile.getAgentId());
                assertThat(Eventually.latest(PATIENCE, () -> rows(sql, "SELECT intent_id, agent_id FROM audit_trail"), expected::equals))
                        .isEqualTo(expected);
            }
            List<ConsumerRecord<byte[], byte[]>> dead = Eventually.latest(PATIENCE,
                    () -> TopicReader.readAll(sinks.bootstrapServers(), List.of("agent.audit-sql.dlq")), records -> !records.isEmpty());
            assertThat(dead).singleElement().satisfies(record -> {
                assertThat(record.value()).isEqualTo(unreadable);
                assertThat(header(record, "__connect.errors.topic")).isEqualTo(LocalSinks.AUDIT);
                assertThat(header(record, "__connect.errors.stage")).isEqualTo("VALUE_CONVERTER");
                assertThat(header(record, "__connect.errors.exception.class.name")).isEqualTo(DataException.class.getName());
            });
        }
    }

    @Test
    void shouldExportAFailedSinkTaskUnderTheNamesItsAlertsRead() throws Exception {
        try (LocalSinks sinks = LocalSinks.start(dir)) {
            // Given a decisions table that refuses every row, as a full disk or a revoked grant would, and a decision
            try (Connection sql = sinks.sql(); Statement statement = sql.createStatement()) {
                statement.execute("""
                        CREATE TABLE decisions (__connect_topic text, __connect_partition integer, __connect_offset bigint,
                                                PRIMARY KEY (__connect_topic, __connect_partition, __connect_offset), CHECK (false))""");
            }
            sinks.send(LocalSinks.REJECT, "finance-analyst", SampleCaseFile.approvedDecision());

            // When the worker tries to land it, and its beans are read through the chart's JMX exporter rules
            sinks.startWorker();
            JmxExporterRules exporter = JmxExporterRules.read(CHART.resolve("metrics/connect-jmx-exporter.yaml"));
            String failedTasks = "kafka_connect_worker_connector_failed_task_count{connector=\"agent-decisions-sql\"}";
            Map<String, Double> exported = Eventually.latest(PATIENCE, () -> exporter.scrape("kafka.connect"),
                    series -> Double.valueOf(1).equals(series.get(failedTasks)));

            // Then the decisions sink's task is exported as failed, and every metric the alert rules read is exported
            assertThat(exported).containsEntry(failedTasks, 1.0)
                    .containsEntry("kafka_connect_worker_connector_running_task_count{connector=\"agent-audit-sql\"}", 1.0);
            Set<String> names = exported.keySet().stream().map(series -> series.substring(0, series.indexOf('{'))).collect(Collectors.toSet());
            String alerts = Files.readString(CHART.resolve("alerts/audit-sql-rules.yaml"));
            Matcher metrics = Pattern.compile("kafka_connect_[a-z_]+").matcher(alerts);
            Set<String> read = new TreeSet<>();
            while (metrics.find()) {
                read.add(metrics.group());
            }
            assertThat(read).hasSize(4);
            assertThat(names).containsAll(read);
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The column names in the first cells of the table under {@code ### `table`}. */
    private static Set<String> documentedColumns(String doc, String table) {
        String heading = "### `" + table + "`";
        int start = doc.indexOf(heading);
        int end = doc.indexOf("\n#", start + heading.length());
        Set<String> columns = new TreeSet<>();
        doc.substring(start, end).lines().filter(line -> line.startsWith("| `")).forEach(line -> {
            Matcher names = Pattern.compile("`([a-z_0-9]+)`").matcher(line.substring(0, line.indexOf(" |", 2)));
            while (names.find()) {
                columns.add(names.group(1));
            }
        });
        return columns;
    }

    private static Set<String> columns(Connection sql, String table) throws Exception {
        Set<String> columns = new TreeSet<>();
        try (PreparedStatement statement = sql.prepareStatement("SELECT column_name FROM information_schema.columns WHERE table_name = ?")) {
            statement.setString(1, table);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    columns.add(result.getString(1));
                }
            }
        }
        return columns;
    }

    /** The case file of an intent decided on arrival, with the one budget window it was charged to. */
    private static AuditRecord decided(String id, String agent, long cost, DecisionOutcome outcome, String time, BudgetState budget) {
        Instant at = at(time);
        boolean escalated = outcome == DecisionOutcome.ESCALATE;
        List<Reason> reasons = escalated ? List.of(new Reason(ReasonCode.OVER_AUTHORITY, null, "over its authority")) : List.of();
        Decision decision = Decision.newBuilder().setIntentId(id).setAgentId(agent).setCorrelationId(id).setOutcome(outcome)
                .setTier(escalated ? "MANAGER" : null).setReasons(reasons).setPolicyVersion(POLICY_VERSION).setDecidedAt(at)
                .setDecidedBy(DecisionFactory.MEDIATOR).build();
        AgentIntent intent = AgentIntent.newBuilder().setIntentId(id).setAgentId(agent).setAction("invoice.create").setTarget("erp")
                .setCostMicros(cost).setConfidence(0.9).build();
        return CaseFiles.decided(id, intent, new Verdict(outcome, decision.getTier(), reasons, List.of()), decision, List.of(budget), at,
                null);
    }

    /** An escalation approved, as the case keeper writes it: a new decision, the budgets as they were. */
    private static AuditRecord approved(AuditRecord open, String time) {
        Instant at = at(time);
        Decision answer = Decision.newBuilder(open.getDecision()).setOutcome(DecisionOutcome.EXECUTE).setTier(null)
                .setReasons(List.of(new Reason(ReasonCode.APPROVED, null, "approved by maria"))).setDecidedAt(at).setDecidedBy("maria")
                .build();
        return CaseFiles.advanced(open, CaseStage.EXECUTE, answer, null, null, POLICY_VERSION, at, List.of(
                Timeline.entry(at, "APPROVAL", "maria", "APPROVE"), Timeline.entry(at, "DECIDED", "maria", "EXECUTE; approved by maria")));
    }

    /** An executed intent reported completed, as the case keeper writes it: the budgets as they stand now. */
    private static AuditRecord completed(AuditRecord executed, String time, BudgetState budget) {
        Instant at = at(time);
        Outcome outcome = new Outcome(executed.getIntentId(), OutcomeStatus.COMPLETED, null, "erp", null, null, null);
        return CaseFiles.advanced(executed, CaseStage.COMPLETED, null, outcome, List.of(budget), POLICY_VERSION, at, List.of(
                Timeline.entry(at, "OUTCOME", "erp", "COMPLETED"), Timeline.entry(at, "SETTLED", DecisionFactory.MEDIATOR, "the estimate is spent")));
    }

    /** An executed intent nobody reported, forgotten after the case retention: its estimate counts as spent, the budgets as they stand now. */
    private static AuditRecord forgotten(AuditRecord executed, String time, BudgetState budget) {
        Instant at = at(time);
        return CaseFiles.advanced(executed, executed.getStage(), null, null, List.of(budget), POLICY_VERSION, at, List.of(
                Timeline.entry(at, "SETTLED", DecisionFactory.MEDIATOR, "no outcome reported within the case retention")));
    }

    private static BudgetState day(String agent, long spent, long reserved) {
        return new BudgetState("agent:" + agent, "DAY", DAY, 100_000_000L, spent, reserved);
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-23T" + time + "Z");
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
