package io.agentmediator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.partition.GateStores;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.rules.RuleInput;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.testing.DriverStores;
import io.agentmediator.testing.SteppedClock;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decisions, dead letters, budgets and escalations through the real topology, read as Prometheus scrapes them. */
class MediatorMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "metrics-1"
            defaults: { escalationTimeout: PT4H }
            tiers: [MANAGER, BOARD]
            agents:
              - id: buyer
                department: procurement
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
                rateLimit: { capacity: 3, refillPerSecond: 0.001 }
                budgets: [ { window: DAY, limitMicros: 10000000, warnAt: 0.8 } ]
                pool: procurement
              - id: idle
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: MONTH, limitMicros: 5000000 } ]
            pools:
              - { id: procurement, budgets: [ { window: MONTH, limitMicros: 40000000, warnAt: 0.9 } ] }
            approvers:
              - { id: proc-manager, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("proc-manager"));

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("metrics"));
    private final Policy policy = PolicyParser.parse("metrics.yaml", POLICY).policy();
    private final CurrentPolicy inForce = new CurrentPolicy(policy);
    private final HealthState health = new HealthState();
    // The wall clock 2 s after the intents' timestamps: every decision of an intent is 2 s late.
    private final MediatorMetrics metrics =
            new MediatorMetrics(health, 1, Clock.fixed(T0.plusSeconds(2), ZoneOffset.UTC));
    private final TopologyParts parts =
            TopologyParts.of(MediatorConfig.defaults(), topics, inForce, health, UnaryOperator.identity()).withMetrics(metrics.decisions());
    private final Topology topology = MediatorTopology.build(parts);
    private final TopologyTestDriver driver = new TopologyTestDriver(topology, TestDrivers.streamsSettings(), T0);
    private final TestInputTopic<byte[], byte[]> intents = input(topics.intents().name());

    @AfterEach
    void tearDown() {
        driver.close();
        metrics.close();
    }

    @Test
    void shouldCountDecisionsByAgentOutcomeAndFirstReasonWithRateLimitsAndLatency() {
        send(intent("i-1", "buyer", 1_000_000, 0));
        send(intent("i-2", "buyer", 1_000_000, 5_000));
        send(intent("i-3", "buyer", 1_000_000, 0));
        send(intent("i-4", "buyer", 1_000_000, 0));

        String scrape = metrics.scrape();

        assertThat(scrape).contains(
                "mediator_decisions_total{agent=\"buyer\",outcome=\"EXECUTE\",reason=\"NONE\"} 2.0",
                "mediator_decisions_total{agent=\"buyer\",outcome=\"ESCALATE\",reason=\"OVER_AUTHORITY\"} 1.0",
                "mediator_decisions_total{agent=\"buyer\",outcome=\"REJECT\",reason=\"RATE_LIMITED\"} 1.0",
                "mediator_rate_limited_total{agent=\"buyer\"} 1.0",
                "mediator_decision_latency_seconds_bucket{outcome=\"EXECUTE\",le=\"1.0\"} 0",
                "mediator_decision_latency_seconds_bucket{outcome=\"EXECUTE\",le=\"2.5\"} 2",
                "mediator_decision_latency_seconds_count{outcome=\"EXECUTE\"} 2");
    }

    @Test
    void shouldKeepEachFirstReasonOfOneAgentAndOutcomeInItsOwnSeriesBesideThoseStartedAtZero() {
        metrics.startAtZero(inForce, topology.describe(), List.of());

        send(intent("i-1", "buyer", 20_000_000, 0));
        send(intent("i-2", "buyer", 1_000_000, 0));
        send(intent("i-3", "buyer", 1_000_000, 0));
        send(intent("i-4", "buyer", 1_000_000, 0));
        // Past the label limit of 1, but named by the policy: counted under its own id.
        send(intent("i-5", "idle", 1_000_000, 0));

        assertThat(metrics.scrape()).contains(
                "mediator_decisions_total{agent=\"buyer\",outcome=\"REJECT\",reason=\"BUDGET_EXCEEDED\"} 1.0",
                "mediator_decisions_total{agent=\"buyer\",outcome=\"REJECT\",reason=\"RATE_LIMITED\"} 1.0",
                "mediator_decisions_total{agent=\"buyer\",outcome=\"REJECT\",reason=\"CLAIMS_UNANSWERED\"} 0.0",
                "mediator_decisions_total{agent=\"buyer\",outcome=\"EXECUTE\",reason=\"NONE\"} 2.0",
                "mediator_decisions_total{agent=\"idle\",outcome=\"EXECUTE\",reason=\"NONE\"} 1.0",
                "mediator_decisions_total{agent=\"idle\",outcome=\"REJECT\",reason=\"CLAIMS_UNANSWERED\"} 0.0",
                "mediator_rate_limited_total{agent=\"buyer\"} 1.0",
                "mediator_rate_limited_total{agent=\"idle\"} 0.0");
    }

    @Test
    void shouldCountAgentsPastTheLabelLimitUnderOneOverflowLabel() {
        send(intent("i-1", "buyer", 0, 0));
        send(intent("i-2", "stranger-1", 0, 0));
        send(intent("i-3", "stranger-2", 0, 0));

        assertThat(metrics.scrape())
                .contains("mediator_decisions_total{agent=\"_other\",outcome=\"REJECT\",reason=\"UNKNOWN_AGENT\"} 2.0")
                .doesNotContain("stranger");
    }

    @Test
    void shouldKeepTheLabelOfEveryAgentOfThePolicyHoweverManyStrangersCameFirst() {
        // Given a label limit of 1, and strangers (ids the policy does not name) seen before the policy's agents decide
        metrics.startAtZero(inForce, topology.describe(), List.of());
        send(intent("s-1", "stranger-1", 0, 0));
        send(intent("s-2", "stranger-2", 0, 0));

        // When both agents of the policy decide
        send(intent("i-1", "buyer", 0, 0));
        send(intent("i-2", "idle", 0, 0));

        // Then each is counted under its own id, as its budget gauges are, and strangers past the limit under _other
        assertThat(metrics.scrape()).contains(
                "mediator_decisions_total{agent=\"buyer\",outcome=\"EXECUTE\",reason=\"NONE\"} 1.0",
                "mediator_decisions_total{agent=\"idle\",outcome=\"EXECUTE\",reason=\"NONE\"} 1.0",
                "mediator_decisions_total{agent=\"stranger-1\",outcome=\"REJECT\",reason=\"UNKNOWN_AGENT\"} 1.0",
                "mediator_decisions_total{agent=\"_other\",outcome=\"REJECT\",reason=\"UNKNOWN_AGENT\"} 1.0");
    }

    @Test
    void shouldCountHumanLoopDecisionsAndDeadLettersBySourceTopic() {
        send(intent("i-1", "buyer", 2_000_000, 5_000));
        byte[] approval = topics.approvalSerde().serializer().serialize(topics.approvals().name(),
                new Approval("i-1", "proc-manager", ApprovalDecision.APPROVE, null, null, null));
        approvals().pipeInput(new TestRecord<>(bytes("i-1"), approval, TestKeys.signedBy("proc-manager", approval), T0.plusSeconds(1)));
        intents.pipeInput(new TestRecord<>(bytes("buyer"), bytes("not avro"), T0));
        approvals().pipeInput(new TestRecord<>(bytes("i-9"), bytes("not avro either"), T0));

        assertThat(metrics.scrape()).contains(
                "mediator_decisions_total{agent=\"buyer\",outcome=\"EXECUTE\",reason=\"APPROVED\"} 1.0",
                "mediator_dead_letters_total{source_topic=\"agent.intents\"} 1.0",
                "mediator_dead_letters_total{source_topic=\"agent.approvals\"} 1.0");
    }

    @Test
    void shouldExportTheDeadLettersOfEveryTopicTheTopologyReadsAtZeroBeforeAny() {
        // Given the topology's own description, as MediatorApp gives it
        metrics.startAtZero(inForce, topology.describe(), MediatorTopology.HOUSEKEEPERS);

        // When scraped before anything was read
        String scrape = metrics.scrape();

        // Then every topic a record can be dead-lettered from has its series at 0: the placed twins the case routers
        // read, the topics read by processors that fail like any other, the global ones, and records read from none
        List<TopicSpec<?, ?>> read = List.of(topics.intents(), topics.intentsPlaced(), topics.approvals(), topics.approvalsPlaced(),
                topics.outcomes(), topics.outcomesPlaced(), topics.caseOwners(), topics.caseEvents(), topics.ledgerRequests(),
                topics.ledgerReplies(), topics.policies(), topics.policiesAccepted(), topics.controls(), topics.controlsPlaced(),
                topics.controlsAccepted());
        for (TopicSpec<?, ?> topic : read) {
            assertThat(scrape).contains("mediator_dead_letters_total{source_topic=\"" + topic.name() + "\"} 0.0");
        }
        assertThat(scrape).contains("mediator_dead_letters_total{source_topic=\"unknown\"} 0.0");
    }

    @Test
    void shouldReadBudgetsAndTheEscalationBacklogFromTheLocalStoresAtScrapeTime() {
        metrics.readStores(new DriverStores(driver), inForce);
        send(intent("i-1", "buyer", 3_000_000, 0));
        send(intent("i-2", "buyer", 5_000_000, 5_000));

        String scrape = metrics.scrape();

        String day = "{agent=\"buyer\",window=\"DAY\"}";
        assertThat(scrape).contains(
                "mediator_budget_reserved_micros" + day + " 8000000.0",
                "mediator_budget_spent_micros" + day + " 0.0",
                "mediator_budget_limit_micros" + day + " 1.0E7",
                "mediator_budget_utilisation_ratio" + day + " 0.8",
                "mediator_budget_warn_ratio" + day + " 0.8",
                "mediator_pool_budget_reserved_micros{pool=\"procurement\",window=\"MONTH\"} 8000000.0",
                "mediator_pool_budget_limit_micros{pool=\"procurement\",window=\"MONTH\"} 4.0E7",
                "mediator_pool_budget_utilisation_ratio{pool=\"procurement\",window=\"MONTH\"} 0.2",
                "mediator_pool_budget_warn_ratio{pool=\"procurement\",window=\"MONTH\"} 0.9",
                "mediator_escalations_open{tier=\"MANAGER\"} 1.0",
                "mediator_escalations_open{tier=\"BOARD\"} 0.0",
                "mediator_escalation_oldest_age_seconds{tier=\"MANAGER\"} 2.0",
                "mediator_escalation_timeout_seconds 14400.0");
        assertThat(scrape).as("an agent with no ledger entry here is another instance's to report").doesNotContain("agent=\"idle\"");
    }

    @Test
    void shouldReadWhatIsKeptForEachAgentAndItsLimitFromTheLocalStoresAtScrapeTime() {
        // Given the kept bytes read at scrape time, and one escalation of the buyer
        metrics.readKeptBytes(new DriverStores(driver), 33_554_432L);
        send(intent("i-1", "buyer", 1_000_000, 5_000));

        // Then the buyer keeps what its open escalation encodes to, and the agent keeping nothing has no series
        CaseFileValue open = driver.<String, CaseFileValue>getKeyValueStore(GateStores.OPEN_ESCALATIONS).get("i-1");
        String scrape = metrics.scrape();
        assertThat(scrape).contains(
                "mediator_agent_kept_bytes{agent=\"buyer\"} " + (double) open.bytes(),
                "mediator_agent_kept_limit_bytes 3.3554432E7");
        assertThat(scrape).doesNotContain("mediator_agent_kept_bytes{agent=\"idle\"}");

        // And when the escalation is denied, the buyer keeps nothing
        byte[] denial = topics.approvalSerde().serializer().serialize(topics.approvals().name(),
                new Approval("i-1", "proc-manager", ApprovalDecision.DENY, "no", null, null));
        driver.createInputTopic(topics.approvals().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                .pipeInput(new TestRecord<>(bytes("i-1"), denial, TestKeys.signedBy("proc-manager", denial), T0.plusSeconds(1)));
        assertThat(metrics.scrape()).doesNotContain("mediator_agent_kept_bytes{agent=\"buyer\"}");
    }

    @Test
    void shouldSayHowMuchOfItsOwnTimeToBeAnsweredTheMostPressedEscalationOfATierHasUsed() {
        // Given the stores read at scrape time, the clock 2 s after the intents
        metrics.readStores(new DriverStores(driver), inForce);

        // When one escalation may wait the policy's 4 h, and another only until its intent expires, 2.5 s after it was sent
        send(intent("i-1", "buyer", 1_000_000, 5_000));
        send(AgentIntent.newBuilder(intent("i-2", "buyer", 1_000_000, 5_000)).setExpiresAt(T0.plusMillis(2_500)).build());

        // Then the second has used four fifths of its time, though its age is far below three quarters of escalationTimeout
        assertThat(metrics.scrape()).contains(
                "mediator_escalations_open{tier=\"MANAGER\"} 2.0",
                "mediator_escalation_oldest_age_seconds{tier=\"MANAGER\"} 2.0",
                "mediator_escalation_time_used_ratio{tier=\"MANAGER\"} 0.8",
                "mediator_escalation_time_used_ratio{tier=\"BOARD\"} 0.0");
    }

    @Test
    void shouldCountRefusedControlsByReasonFromZeroUpwards() {
        // Given every reason exported before any control was refused
        metrics.readSuspensions(parts.suspensions());
        assertThat(metrics.scrape()).contains("mediator_controls_refused_total{reason=\"UNREADABLE\"} 0.0");

        // When a record on the controls topic is no control
        TopicSpec<String, String> controls = topics.controls();
        driver.createInputTopic(controls.name(), controls.keySerde().serializer(), controls.valueSerde().serializer())
                .pipeInput("buyer", "{\"action\":\"EXPLODE\"}", T0);

        // Then
        assertThat(metrics.scrape()).contains(
                "mediator_controls_refused_total{reason=\"UNREADABLE\"} 1.0",
                "mediator_controls_refused_total{reason=\"UNSIGNED\"} 0.0",
                "mediator_controls_refused_total{reason=\"STALE\"} 0.0");
    }

    @Test
    void shouldCountAnIntentIdDecidedForASecondAgentWhileTheFirstsCaseIsOpen() {
        // Given the id's owner records as the gates of two agents' partitions write them, the first case still open
        TopicSpec<String, String> owners = topics.caseOwners();
        TestInputTopic<String, String> caseOwners =
                driver.createInputTopic(owners.name(), owners.keySerde().serializer(), owners.valueSerde().serializer());
        caseOwners.pipeInput("shared-1", "buyer", T0);
        caseOwners.pipeInput("own-1", "buyer", T0);
        caseOwners.pipeInput("own-1", null, T0);

        // When another agent's intent is decided under the first id, and the second is reused after its case closed
        caseOwners.pipeInput("shared-1", "seller", T0.plusSeconds(1));
        caseOwners.pipeInput("own-1", "seller", T0.plusSeconds(1));

        // Then only the first is counted
        assertThat(metrics.scrape()).contains("mediator_intent_ids_shared_total 1.0");
    }

    @Test
    void shouldExportThePolicyInForceReloadFailuresAndReadiness() {
        health.policyLoaded("metrics-1");
        health.policyRefused();

        assertThat(metrics.scrape()).contains(
                "mediator_policy_info{version=\"metrics-1\"} 1",
                "mediator_policy_reload_failures_total 1.0",
                "mediator_ready 0.0",
                "jvm_memory_used_bytes");
    }

    @Test
    void shouldExportHowFarBehindTheWallClockTheGroupHasReadEverything() {
        ReadHorizon horizon = new ReadHorizon();
        metrics.readHorizon(horizon);
        assertThat(metrics.scrape()).as("untracked: the wall clock").contains("mediator_read_horizon_behind_seconds 0.0");

        // Given the group's progress followed, and every round of the note taken 30 s before the clock committed
        horizon.track();
        Map<TopicPartition, Long> read = Map.of(new TopicPartition("agent.intents", 0), 7L);
        for (int round = 0; round <= 5; round++) {
            horizon.progress(T0.minusSeconds(28 - round), read, read);
        }

        assertThat(metrics.scrape()).contains("mediator_read_horizon_behind_seconds 30.0");
    }

    @Test
    void shouldCountHowLongNothingHasBeenConfirmedReadFromWhenTheGroupIsFollowed() {
        // Given a mediator that follows its group from T0, restarted with a backlog the group has not committed through
        SteppedClock clock = new SteppedClock(T0);
        MediatorMetrics started = new MediatorMetrics(health, 1, clock);
        try {
            ReadHorizon horizon = new ReadHorizon();
            started.readHorizon(horizon);
            horizon.track();
            Map<TopicPartition, Long> committed = Map.of(new TopicPartition("agent.intents", 0), 7L);
            Map<TopicPartition, Long> ends = Map.of(new TopicPartition("agent.intents", 0), 9_000L);
            horizon.progress(T0, committed, ends);

            // When it has caught up for ten minutes
            clock.advance(Duration.ofMinutes(10));
            horizon.progress(clock.instant(), committed, ends);

            // Then deadlines are held back by those ten minutes, not by the time since 1970
            assertThat(started.scrape()).contains("mediator_read_horizon_behind_seconds 600.0");
        } finally {
            started.close();
        }
    }

    @Test
    void shouldExportRuleEvaluationsStoppedAtALimitFromZeroUpwards() {
        // Given both limits exported before any rule went past one in this test
        String scrape = metrics.scrape();
        assertThat(scrape).contains("mediator_rule_limit_exceeded_total{limit=\"COST\"}",
                "mediator_rule_limit_exceeded_total{limit=\"SIZE\"}");
        double before = ruleLimitCount(scrape, "SIZE");
        Policy policy = PolicyParser.parse("limits.yaml", """
                version: "limits-1"
                tiers: [MANAGER]
                agents: [{ id: writer }]
                rules:
                  - { id: echo, when: "intent.reasoning.replace('', intent.reasoning) != ''", effect: REJECT }
                """).policy();

        // When
        policy.compiledRules().evaluate(new RuleInput(AgentIntent.newBuilder(intent("echo-1", "writer", 0, 0))
                .setReasoning("e".repeat(5_000)).build(), policy.agent("writer").orElseThrow().ruleAgent(), Map.of(), T0));

        // Then
        assertThat(ruleLimitCount(metrics.scrape(), "SIZE")).isGreaterThan(before);
    }

    private static double ruleLimitCount(String scrape, String limit) {
        String series = "mediator_rule_limit_exceeded_total{limit=\"" + limit + "\"} ";
        return scrape.lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).findFirst().orElseThrow();
    }

    private void send(AgentIntent intent) {
        intents.pipeInput(new TestRecord<>(bytes(intent.getAgentId()),
                topics.intentSerde().serializer().serialize(topics.intents().name(), intent), T0));
    }

    private static AgentIntent intent(String intentId, String agentId, long costMicros, long commitmentMicros) {
        return AgentIntent.newBuilder()
                .setIntentId(intentId)
                .setAgentId(agentId)
                .setAction("order.place")
                .setTarget("erp")
                .setCostMicros(costMicros)
                .setCommitmentMicros(commitmentMicros)
                .setConfidence(0.9)
                .build();
    }

    private TestInputTopic<byte[], byte[]> approvals() {
        return input(topics.approvals().name());
    }

    private TestInputTopic<byte[], byte[]> input(String topic) {
        return driver.createInputTopic(topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
