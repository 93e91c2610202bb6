package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.connect.local.ConnectWorker;
import io.agentmediator.connect.local.LocalPostgres;
import io.agentmediator.connect.local.TopicReader;
import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.embedded.EmbeddedSchemaRegistry;
import io.agentmediator.health.HealthState;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail in SQL, end to end: the mediator on a real broker decides a few hundred intents (escalations
 * answered, outcomes reported, compensations, duplicates, an unknown agent, an outcome for an intent never decided),
 * a Kafka Connect worker (a JVM of its own) with the connectors module's converter, transforms and Debezium's JDBC
 * sink lands them in a real PostgreSQL, and is killed with SIGKILL mid-stream before it has committed any progress,
 * so that its restart writes everything again. Then: exactly one row per intent, equal to the latest case file on the
 * compacted topic, every decision exactly once in the decisions table, and docs/AUDIT-SQL.md's queries answering what
 * the scenario implies.
 */
@Tag("slow")
class AuditSqlIT {

    private static final String POLICY_VERSION = "audit-sql-it-1";
    private static final int INTENTS = 300;
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    /** The killed worker's commit interval: longer than the test, so that it dies having committed nothing. */
    private static final Duration NEVER = Duration.ofMinutes(30);
    /** Answers trickle in, so that the worker is killed while they still arrive. */
    private static final Duration ANSWER_PACE = Duration.ofMillis(20);
    private static final String APPROVER = "maria";
    /** The case sent twice: the second time it is a DUPLICATE, a decision of its own that leaves the case file as it was. */
    private static final int RETRIED = 2;
    private static final String POLICY = """
            version: "audit-sql-it-1"
            tiers: [MANAGER, BOARD]
            agents:
              - { id: buyer, department: finance, capabilities: { actions: ["invoice.*"], targets: ["erp"] },
                  authority: { maxCommitmentMicros: 5000000000 }, budgets: [ { window: MONTH, limitMicros: 100000000000 } ] }
              - { id: planner, department: ops, capabilities: { actions: ["invoice.*"], targets: ["erp"] },
                  authority: { maxCommitmentMicros: 5000000000 }, budgets: [ { window: MONTH, limitMicros: 1000000000 } ] }
            approvers:
              - { id: maria, tier: MANAGER }
            # What lands in SQL is tested here, not who signs the answers (SignedApprovalsTest does that).
            signatures: { approvals: OPTIONAL, outcomes: OPTIONAL }
            """;

    @TempDir Path dir;

    @Test
    void shouldKeepOneRowPerIntentAndEveryDecisionOnceThroughAConnectWorkerKilledMidStream() throws Exception {
        Contracts.trustGeneratedClasses();
        // The records carry the wall clock's time and the month's queries ask about the month at the end: not across two months
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Duration untilNextMonth = Duration.between(now, now.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC));
        if (untilNextMonth.compareTo(Duration.ofMinutes(10)) < 0) {
            Thread.sleep(untilNextMonth.plusSeconds(1).toMillis());
        }
        List<Case> cases = Case.scenario(INTENTS);
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        // A registry over HTTP, which the worker's JVM reaches as the mediator's does
        try (LocalPostgres postgres = LocalPostgres.start(); EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0)) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, registry.url())
                    .with(ConfigKeys.APPLICATION_ID, "audit-sql-it")
                    .with(ConfigKeys.POLICY_FILE, policy.toString())
                    .with(ConfigKeys.STATE_DIR, dir.resolve("state").toString())
                    .with(ConfigKeys.HTTP_PORT, "0")
                    // The stray outcome's case file is written once it has waited this long for an owner that never comes.
                    .with(ConfigKeys.CASE_OWNER_WAIT, "PT1S");
            try (MediatorApp app = MediatorApp.start(config, new HealthState());
                    KafkaProducer<byte[], byte[]> producer = producer(broker)) {
                app.awaitRunning(PATIENCE);
                Topics topics = app.topics();

                // Given every intent decided once, plus a retry, two over the budget and one from a stranger
                for (Case each : cases) {
                    send(producer, topics.intents().name(), each.agent(), topics.intentSerde().serializer()
                            .serialize(topics.intents().name(), each.intent()));
                }
                List<AgentIntent> extras = List.of(Case.intent("big-1", "planner", "invoice.create", 2_000_000_000L, 0),
                        Case.intent("big-2", "planner", "invoice.create", 2_000_000_000L, 0),
                        Case.intent("stranger-1", "stranger", "invoice.create", 0, 0));
                for (AgentIntent extra : extras) {
                    send(producer, topics.intents().name(), extra.getAgentId(), topics.intentSerde().serializer()
                            .serialize(topics.intents().name(), extra));
                }
                AgentIntent retried = cases.get(RETRIED).intent();
                send(producer, topics.intents().name(), retried.getAgentId(), topics.intentSerde().serializer()
                        .serialize(topics.intents().name(), retried));
                int firstDecisions = cases.size() + extras.size() + 1;
                awaitDecisions(broker, topics, firstDecisions);

                // When a Connect worker lands the topics, and approvers and executors start answering
                long answers = cases.stream().filter(c -> c.kind() == Kind.ESCALATE || c.status() != null).count();
                CompletableFuture<Void> answering;
                try (ConnectWorkerProcess worker = ConnectWorkerProcess.start(dir, "killed", broker.bootstrapServers(), NEVER,
                        placeholders(postgres, registry)); Connection sql = postgres.connect()) {
                    assertThat(Eventually.latest(PATIENCE, () -> count(sql, "audit_trail"), n -> n >= 50)).as("case files landed").isGreaterThanOrEqualTo(50);
                    answering = CompletableFuture.runAsync(() -> answer(producer, topics, cases, ANSWER_PACE));
                    assertThat(Eventually.latest(PATIENCE, () -> answered(sql), n -> n >= 20)).as("answers landed").isGreaterThanOrEqualTo(20);
                    // ...the worker is killed -9 mid-stream, having committed none of what it wrote: its restart writes it all again
                    boolean stillAnswering = !answering.isDone();
                    assertThat(worker.kill()).as("exit status of a JVM killed by SIGKILL").isEqualTo(137);
                    long landed = answered(sql);
                    assertThat(committed(broker, "connect-agent-audit-sql")).as("progress the killed worker committed").isEmpty();
                    assertThat(committed(broker, "connect-agent-decisions-sql")).as("progress the killed worker committed").isEmpty();
                    System.out.printf("Connect worker killed -9 with %d rows in audit_trail, %d of %d answers landed (answers still coming: %s), "
                            + "no offset committed%n", count(sql, "audit_trail"), landed, answers, stillAnswering);
                }
                answering.get();
                Outcome ghost = Outcome.newBuilder().setIntentId("ghost-1").setStatus(OutcomeStatus.COMPLETED).setReportedBy("erp").build();
                send(producer, topics.outcomes().name(), "ghost-1", topics.outcomeSerde().serializer().serialize(topics.outcomes().name(), ghost));
                long escalations = cases.stream().filter(c -> c.kind() == Kind.ESCALATE).count();
                int allDecisions = (int) (firstDecisions + escalations);
                awaitDecisions(broker, topics, allDecisions);
                Map<String, AuditRecord> caseFiles = Eventually.latest(PATIENCE, () -> caseFiles(broker, topics),
                        latest -> cases.stream().allMatch(c -> c.settled(latest.get(c.id())))
                                && latest.keySet().stream().anyMatch(id -> id.startsWith("ghost-1#")));
                assertThat(cases).as("every case settled by the mediator").allMatch(c -> c.settled(caseFiles.get(c.id())));

                try (ConnectWorkerProcess restarted = ConnectWorkerProcess.start(dir, "restarted", broker.bootstrapServers(),
                        ConnectWorker.OFTEN, placeholders(postgres, registry)); Connection sql = postgres.connect()) {
                    // Then one row per case file, each equal to the latest version on the compacted topic
                    Map<String, String> expectedRows = caseFiles.values().stream()
                            .collect(Collectors.toMap(r -> r.getIntentId(), AuditSqlIT::expectedRow, (a, b) -> b, TreeMap::new));
                    assertThat(Eventually.latest(PATIENCE, () -> rows(sql), expectedRows::equals))
                            .containsExactlyInAnyOrderEntriesOf(expectedRows);
                    assertThat(count(sql, "audit_trail")).as("rows in audit_trail").isEqualTo(caseFiles.size());
                    assertThat(caseFiles).containsKeys(cases.stream().map(Case::id).toArray(String[]::new));

                    // ...every decision once, by its place on the topic
                    List<ConsumerRecord<byte[], byte[]>> decisions = TopicReader.readAll(broker.bootstrapServers(),
                            topics.decisions().stream().map(t -> t.name()).toList());
                    assertThat(decisions).hasSize(allDecisions);
                    Map<String, String> expectedDecisions = new TreeMap<>();
                    for (ConsumerRecord<byte[], byte[]> record : decisions) {
                        Decision decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
                        expectedDecisions.put(record.topic() + "/" + record.partition() + "/" + record.offset(), decision.getIntentId() + "|"
                                + decision.getOutcome() + "|" + decision.getReasons().stream().map(r -> r.getCode().name()).toList()
                                + "|" + decision.getDecidedBy() + "|" + decision.getDecidedAt().toEpochMilli());
                    }
                    assertThat(Eventually.latest(PATIENCE, () -> decisionRows(sql), expectedDecisions::equals))
                            .containsExactlyInAnyOrderEntriesOf(expectedDecisions);
                    assertThat(count(sql, "decisions")).as("rows in decisions").isEqualTo(allDecisions);

                    // ...and the compliance queries answer what the scenario implies
                    assertQueries(sql, cases);
                    assertThat(caseFiles.keySet()).as("the outcome for an intent never decided has a case file, so a row")
                            .anyMatch(id -> id.startsWith("ghost-1#"));
                }
            }
        }
    }

    private static void assertQueries(Connection sql, List<Case> cases) throws Exception {
        Map<String, ComplianceQueries.Query> queries = ComplianceQueries.all();
        assertThat(queries).hasSize(10);
        String month = LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).toString();
        Map<String, Object> values = Map.of("agent", "buyer", "month", month, "version", POLICY_VERSION, "intent", cases.get(0).id());
        Map<String, List<Map<String, Object>>> answers = new HashMap<>();
        for (ComplianceQueries.Query query : queries.values()) {
            answers.put(query.name(), query.run(sql, values));
        }

        List<Case> buyer = cases.stream().filter(c -> c.agent().equals("buyer")).toList();
        long buyerEscalations = buyer.stream().filter(c -> c.kind() == Kind.ESCALATE).count();
        long buyerRetries = cases.get(RETRIED).agent().equals("buyer") ? 1 : 0;
        assertThat(answers.get("decisions-of-an-agent-in-a-month")).as("every decision of buyer, answers and the retry included")
                .hasSize((int) (buyer.size() + buyerEscalations + buyerRetries))
                .allSatisfy(row -> assertThat(row.get("policy_version")).isEqualTo(POLICY_VERSION));

        List<Case> approved = cases.stream().filter(c -> c.kind() == Kind.ESCALATE && c.approved()).toList();
        List<Case> denied = cases.stream().filter(c -> c.kind() == Kind.ESCALATE && !c.approved()).toList();
        assertThat(answers.get("escalations-approved")).extracting(row -> row.get("intent_id"))
                .containsExactlyInAnyOrderElementsOf(approved.stream().map(Case::id).toList());
        assertThat(answers.get("escalations-approved")).allSatisfy(row -> {
            assertThat(row).containsEntry("approver", APPROVER).containsEntry("tier", "MANAGER").containsEntry("escalated_for", "OVER_AUTHORITY");
            assertThat(row.get("waited")).isNotNull();
        });
        assertThat(answers.get("approvers-answers")).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("approver", APPROVER).containsEntry("approved", (long) approved.size()).containsEntry("denied", (long) denied.size()));

        Map<String, List<Object>> spend = answers.get("spend-by-agent-and-month").stream().collect(Collectors.toMap(
                row -> (String) row.get("agent_id"), row -> Arrays.asList(row.get("executed"), number(row.get("estimated_micros")),
                        number(row.get("reported_micros")))));
        Map<String, List<Object>> expectedSpend = new TreeMap<>();
        for (String agent : List.of("buyer", "planner")) {
            List<Case> executed = cases.stream().filter(c -> c.agent().equals(agent) && c.executed()).toList();
            long reported = executed.stream().map(Case::reportedCost).filter(Objects::nonNull).mapToLong(Long::longValue).sum();
            expectedSpend.put(agent, Arrays.asList((long) executed.size(), executed.stream().mapToLong(c -> c.intent().getCostMicros()).sum(), reported));
        }
        assertThat(spend).isEqualTo(expectedSpend);

        assertThat(answers.get("budget-windows")).extracting(row -> row.get("scope") + " " + row.get("window") + " " + row.get("limit_micros"))
                .containsExactlyInAnyOrder("agent:buyer MONTH 100000000000", "agent:planner MONTH 1000000000");

        Map<String, Long> rejected = new TreeMap<>();
        cases.stream().filter(c -> c.firstRejectReason() != null).forEach(c -> rejected.merge(c.firstRejectReason(), 1L, Long::sum));
        rejected.merge("BUDGET_EXCEEDED", 2L, Long::sum);
        rejected.merge("UNKNOWN_AGENT", 1L, Long::sum);
        assertThat(byCode(answers.get("rejected-by-reason"), "first_reason")).isEqualTo(rejected);
        assertThat(byCode(answers.get("rejected-by-any-reason"), "code")).containsAllEntriesOf(rejected);

        long byMediator = answers.get("decisions-under-a-policy-version").stream().filter(row -> Boolean.TRUE.equals(row.get("by_mediator")))
                .mapToLong(row -> (Long) row.get("decisions")).sum();
        long byPeople = answers.get("decisions-under-a-policy-version").stream().filter(row -> Boolean.FALSE.equals(row.get("by_mediator")))
                .mapToLong(row -> (Long) row.get("decisions")).sum();
        assertThat(byPeople).isEqualTo(approved.size() + denied.size());
        assertThat(byMediator).as("every intent, the two over budget, the stranger's and the retry").isEqualTo(cases.size() + 3 + 1);

        assertThat(answers.get("executed-then-compensated")).extracting(row -> row.get("intent_id"))
                .containsExactlyInAnyOrderElementsOf(cases.stream().filter(c -> c.status() == OutcomeStatus.COMPENSATED).map(Case::id).toList());

        assertThat(answers.get("story-of-an-intent")).extracting(row -> row.get("event"))
                .startsWith("RECEIVED").contains("DECIDED", "APPROVAL");
    }

    private static Map<String, Long> byCode(List<Map<String, Object>> rows, String column) {
        return rows.stream().collect(Collectors.toMap(row -> (String) row.get(column), row -> (Long) row.get("intents"), Long::sum, TreeMap::new));
    }

    private static Long number(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static Map<String, String> placeholders(LocalPostgres postgres, EmbeddedSchemaRegistry registry) {
        return Map.of(ConnectorConfigs.REGISTRY_URL, registry.url(), ConnectorConfigs.JDBC_URL, postgres.jdbcUrl(),
                ConnectorConfigs.USER, LocalPostgres.USER, ConnectorConfigs.PASSWORD, "");
    }

    /** The offsets {@code group} has committed, partition by partition; none when it never committed. */
    private static List<OffsetAndMetadata> committed(EmbeddedKafkaBroker broker, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .filter(Objects::nonNull).toList();
        }
    }

    /** What a case file's row must say, in the order of {@link #rows}. */
    private static String expectedRow(AuditRecord record) {
        Decision decision = record.getDecision();
        List<String> codes = decision == null ? null : decision.getReasons().stream().map(r -> r.getCode().name()).toList();
        return String.join("|", record.getAgentId(), record.getStage().name(),
                decision == null ? "null" : decision.getOutcome().name(),
                codes == null || codes.isEmpty() ? "null" : codes.get(0),
                String.valueOf(codes),
                decision == null ? "null" : String.valueOf(decision.getTier()),
                decision == null ? "null" : decision.getPolicyVersion(),
                record.getIntent() == null ? "null" : String.valueOf(record.getIntent().getCostMicros()),
                record.getIntent() == null ? "null" : String.valueOf(record.getIntent().getCommitmentMicros()),
                decision == null ? "null" : String.valueOf(decision.getDecidedAt().toEpochMilli()),
                decision == null ? "null" : decision.getDecidedBy(),
                record.getOutcome() == null ? "null" : record.getOutcome().getStatus().name(),
                record.getOutcome() == null ? "null" : String.valueOf(record.getOutcome().getActualCostMicros()),
                String.valueOf(record.getUpdatedAt().toEpochMilli()),
                String.valueOf(record.getUpdatedAt().toEpochMilli()),
                String.valueOf(record.getTimeline().size()));
    }

    private static Map<String, String> rows(Connection sql) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        if (count(sql, "audit_trail") < 0) {
            return rows;
        }
        try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery("""
                SELECT intent_id, agent_id, stage, outcome, first_reason, reasons, tier, policy_version, cost_micros, commitment_micros,
                       (extract(epoch FROM decided_at) * 1000)::bigint AS decided_at, decided_by, outcome_status, actual_cost_micros,
                       (extract(epoch FROM updated_at) * 1000)::bigint AS updated_at, case_file->>'updatedAt' AS json_updated_at,
                       jsonb_array_length(case_file->'timeline') AS steps
                FROM audit_trail""")) {
            while (result.next()) {
                Array reasons = result.getArray("reasons");
                List<String> row = new ArrayList<>();
                for (String column : List.of("agent_id", "stage", "outcome", "first_reason")) {
                    row.add(String.valueOf(result.getString(column)));
                }
                row.add(reasons == null ? "null" : Arrays.asList((Object[]) reasons.getArray()).toString());
                for (String column : List.of("tier", "policy_version", "cost_micros", "commitment_micros", "decided_at", "decided_by",
                        "outcome_status", "actual_cost_micros", "updated_at", "json_updated_at", "steps")) {
                    row.add(String.valueOf(result.getString(column)));
                }
                rows.put(result.getString("intent_id"), String.join("|", row));
            }
        }
        return rows;
    }

    private static Map<String, String> decisionRows(Connection sql) throws Exception {
        Map<String, String> rows = new TreeMap<>();
        if (count(sql, "decisions") < 0) {
            return rows;
        }
        try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery("""
                SELECT __connect_topic, __connect_partition, __connect_offset, intent_id, outcome, reasons, decided_by,
                       (extract(epoch FROM decided_at) * 1000)::bigint AS decided_at
                FROM decisions""")) {
            while (result.next()) {
                rows.put(result.getString(1) + "/" + result.getInt(2) + "/" + result.getLong(3), result.getString("intent_id") + "|"
                        + result.getString("outcome") + "|" + Arrays.asList((Object[]) result.getArray("reasons").getArray()) + "|"
                        + result.getString("decided_by") + "|" + result.getLong("decided_at"));
            }
        }
        return rows;
    }

    /** Rows in {@code table}, or -1 while the sink has not created it yet. */
    private static long count(Connection sql, String table) throws Exception {
        try (Statement statement = sql.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = '" + table + "'")) {
            result.next();
            if (result.getLong(1) == 0) {
                return -1;
            }
        }
        try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static Map<String, AuditRecord> caseFiles(EmbeddedKafkaBroker broker, Topics topics) {
        Map<String, AuditRecord> latest = new HashMap<>();
        TopicReader.latestByKey(TopicReader.readAll(broker.bootstrapServers(), List.of(topics.audit().name())))
                .forEach((key, value) -> latest.put(key, topics.audit().valueSerde().deserializer().deserialize(topics.audit().name(), value)));
        return latest;
    }

    private static void awaitDecisions(EmbeddedKafkaBroker broker, Topics topics, int expected) throws Exception {
        List<String> names = topics.decisions().stream().map(t -> t.name()).toList();
        assertThat(Eventually.latest(PATIENCE, () -> TopicReader.readAll(broker.bootstrapServers(), names).size(), n -> n >= expected))
                .as("decisions").isEqualTo(expected);
    }

    /** Approvals for the escalations among {@code cases}, outcomes for the executed ones, a case every {@code pace}. */
    private static void answer(KafkaProducer<byte[], byte[]> producer, Topics topics, List<Case> cases, Duration pace) {
        for (Case each : cases) {
            if (each.kind() == Kind.ESCALATE) {
                Approval approval = Approval.newBuilder().setIntentId(each.id()).setApproverId(APPROVER)
                        .setDecision(each.approved() ? ApprovalDecision.APPROVE : ApprovalDecision.DENY).setComment("checked").build();
                send(producer, topics.approvals().name(), each.id(), topics.approvalSerde().serializer().serialize(topics.approvals().name(), approval));
            } else if (each.status() != null) {
                Outcome outcome = Outcome.newBuilder().setIntentId(each.id()).setStatus(each.status())
                        .setActualCostMicros(each.reportedCost()).setReportedBy("erp").build();
                send(producer, topics.outcomes().name(), each.id(), topics.outcomeSerde().serializer().serialize(topics.outcomes().name(), outcome));
            }
            producer.flush();
            LockSupport.parkNanos(pace.toNanos());
        }
    }

    /** Rows whose case file shows an answer: an approver's decision or an executor's outcome. */
    private static long answered(Connection sql) throws Exception {
        try (Statement statement = sql.createStatement(); ResultSet result = statement.executeQuery(
                "SELECT count(*) FROM audit_trail WHERE outcome_status IS NOT NULL OR decided_by = '" + APPROVER + "'")) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, null, Instant.now().toEpochMilli(), key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    enum Kind { ESCALATE, NOT_ALLOWED, EXECUTE }

    /**
     * One intent of the scenario and what happens to it. In blocks of six, one agent's: an escalation over its
     * authority (approved in every other pair of blocks, else denied), an action it may not take, and four executed
     * intents whose executors report completion at half the estimate, a compensation, a failure, and nothing.
     */
    record Case(String id, String agent, Kind kind, boolean approved, OutcomeStatus status, Long reportedCost, AgentIntent intent) {

        static List<Case> scenario(int size) {
            List<Case> cases = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                int block = i / 6;
                String agent = block % 2 == 0 ? "buyer" : "planner";
                String id = "intent-" + i;
                switch (i % 6) {
                    case 0 -> cases.add(new Case(id, agent, Kind.ESCALATE, (block / 2) % 2 == 0, null, null,
                            intent(id, agent, "invoice.approve", 1_000_000, 6_000_000_000L)));
                    case 1 -> cases.add(new Case(id, agent, Kind.NOT_ALLOWED, false, null, null, intent(id, agent, "payroll.run", 1_000_000, 0)));
                    case 2 -> cases.add(new Case(id, agent, Kind.EXECUTE, false, OutcomeStatus.COMPLETED, 500_000L,
                            intent(id, agent, "invoice.create", 1_000_000, 0)));
                    case 3 -> cases.add(new Case(id, agent, Kind.EXECUTE, false, OutcomeStatus.COMPENSATED, null,
                            intent(id, agent, "invoice.create", 1_000_000, 0)));
                    case 4 -> cases.add(new Case(id, agent, Kind.EXECUTE, false, OutcomeStatus.FAILED, null,
                            intent(id, agent, "invoice.create", 1_000_000, 0)));
                    default -> cases.add(new Case(id, agent, Kind.EXECUTE, false, null, null, intent(id, agent, "invoice.create", 1_000_000, 0)));
                }
            }
            return cases;
        }

        static AgentIntent intent(String id, String agent, String action, long cost, long commitment) {
            return AgentIntent.newBuilder().setIntentId(id).setAgentId(agent).setAction(action).setTarget("erp")
                    .setCostMicros(cost).setCommitmentMicros(commitment).setConfidence(0.9).build();
        }

        boolean executed() {
            return kind == Kind.EXECUTE || kind == Kind.ESCALATE && approved;
        }

        String firstRejectReason() {
            return switch (kind) {
                case NOT_ALLOWED -> "ACTION_NOT_ALLOWED";
                case ESCALATE -> approved ? null : "DENIED";
                case EXECUTE -> null;
            };
        }

        /** Whether the case file shows everything this case will ever get. */
        boolean settled(AuditRecord record) {
            if (record == null) {
                return false;
            }
            Predicate<CaseStage> expected = switch (kind) {
                case NOT_ALLOWED -> stage -> stage == CaseStage.REJECT;
                case ESCALATE -> stage -> stage == (approved ? CaseStage.EXECUTE : CaseStage.REJECT);
                case EXECUTE -> stage -> stage == (status == null ? CaseStage.EXECUTE : CaseStage.valueOf(status.name()));
            };
            return expected.test(record.getStage());
        }
    }

}
