package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.limits.RecordSize;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.partition.GateStores;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.internal.WaitingIntent;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the mediator keeps in memory for an agent (its open escalations, intents waiting for their dependencies, intents whose
 * claims are out) is bounded in bytes per agent, not only by counts: each entry is as large as the texts on it, and the heap
 * is every agent's. Through the whole topology.
 */
class AgentKeptBytesTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant NINE = Instant.parse("2026-11-24T09:00:00Z");
    private static final int LIMIT = 40_000;
    private static final String REASONING = "because ".repeat(400);
    private static final String POLICY = """
            version: "kept-1"
            defaults: { escalationTimeout: PT1H, dependencyTimeout: PT1H, conflictTier: MANAGER }
            tiers: [MANAGER]
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
                budgets: [ { window: DAY, limitMicros: 1000000000 } ]
              - id: clerk
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
            resources:
              - { pattern: "room:*", capacity: 1 }
            approvers:
              - { id: manager, tier: MANAGER, publicKey: "%s" }
            executors:
              - { id: executor-1, agents: ["*"], publicKey: "%s" }
            """.formatted(TestKeys.publicKey("manager"), TestKeys.publicKey("executor-1"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0,
            MediatorConfig.defaults().with(ConfigKeys.LIMITS_AGENT_KEPT_BYTES, String.valueOf(LIMIT)));

    @AfterEach
    void tearDown() {
        mediator.close();
    }

    @Test
    void shouldRefuseWhatWouldBeKeptForAnAgentAtItsLimitAndKeepAgainOnceOneIsAnswered() {
        // Given a buyer whose escalations, with a long reasoning each, reach its limit
        List<String> escalated = new ArrayList<>();
        String refused = null;
        for (int n = 0; n < 50 && refused == null; n++) {
            String id = "big-" + n;
            mediator.send(overAuthority(id, "buyer"), T0.plusSeconds(n));
            if (mediator.decision(id).getOutcome() == DecisionOutcome.ESCALATE) {
                escalated.add(id);
            } else {
                refused = id;
            }
        }
        assertThat(escalated).as("escalated before the limit").hasSizeGreaterThanOrEqualTo(3);
        assertThat(refused).as("one refused at the limit").isNotNull();

        // Then the next is rejected RATE_LIMITED, saying which limit, its reservation given back
        Reason reason = only(mediator.decision(refused));
        assertThat(reason.getCode()).isEqualTo(ReasonCode.RATE_LIMITED);
        assertThat(reason.getMessage()).contains("agent \"buyer\"", "limits.agent.kept.bytes", "wait for a person");
        assertThat(check(mediator.caseFiles().get(refused), GateDecider.KEPT).getStatus()).isEqualTo(CheckStatus.FAIL);
        assertThat(reservedMicros("buyer")).as("only the escalations hold reservations").isEqualTo(escalated.size() * 1_000L);

        // And so are its intents that would wait for their dependencies or for their claims
        Instant later = T0.plusSeconds(100);
        mediator.send(AgentIntent.newBuilder(routine("waits", "buyer")).setDependsOn(List.of("nobody-reported")).build(), later);
        assertThat(only(mediator.decision("waits")).getMessage()).contains("limits.agent.kept.bytes", "wait for its dependencies");
        mediator.send(booking("books", "buyer"), later.plusSeconds(1));
        assertThat(only(mediator.decision("books")).getMessage()).contains("limits.agent.kept.bytes", "wait for its claims");

        // But not what is decided at once, nor another agent's escalations
        mediator.send(routine("routine", "buyer"), later.plusSeconds(2));
        assertThat(mediator.decision("routine").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        mediator.send(overAuthority("clerk-1", "clerk"), later.plusSeconds(3));
        assertThat(mediator.decision("clerk-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When a manager denies one of the buyer's escalations
        mediator.approve(escalated.get(0), "manager", ApprovalDecision.DENY, later.plusSeconds(4));

        // Then its next escalation is kept again
        mediator.send(overAuthority("after-answer", "buyer"), later.plusSeconds(5));
        assertThat(mediator.decision("after-answer").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(keptByAgent()).isEqualTo(countedFromTheStores());
    }

    @Test
    void shouldNotCountAWokenIntentAgainstItselfThoughItsWaitFilledTheLimit() {
        try (PipelineDriver small = new PipelineDriver(POLICY, T0,
                MediatorConfig.defaults().with(ConfigKeys.LIMITS_AGENT_KEPT_BYTES, "1000"))) {
            // Given a buyer's escalating intent waiting for a task, alone larger than the buyer's limit
            small.send(routine("task", "buyer"), T0);
            small.send(AgentIntent.newBuilder(overAuthority("after-task", "buyer")).setDependsOn(List.of("task")).build(), T0.plusSeconds(1));
            assertThat(small.decision("after-task")).as("waiting, undecided").isNull();

            // When the task is reported done
            small.report("task", OutcomeStatus.COMPLETED, null, T0.plusSeconds(2));

            // Then the woken intent escalates: the room it took while waiting is its own
            assertThat(small.decision("after-task").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        }
    }

    @Test
    void shouldCountExactlyWhatTheStoresKeepThroughEveryWayInAndOut() {
        randomRun(false);
    }

    @Test
    void shouldCountExactlyWhatTheStoresKeepWhenTheTaskRestartsBeforeAnyStep() {
        randomRun(true);
    }

    private void forgetTotals() {
        KeyValueStore<String, Long> kept = mediator.store(GateStores.KEPT_BYTES_PER_AGENT);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = kept.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(kept::delete);
    }

    private void randomRun(boolean restarts) {
        // Given a long random run of two agents escalating, waiting, booking rooms (granted, or escalated as conflicts), their
        // escalations approved, denied, expired or noted into, their tasks reported done or failed, so waiters wake or give up
        Random random = new Random(42);
        List<String> open = new ArrayList<>();
        List<String> executed = new ArrayList<>();
        Instant at = T0;
        boolean sawRefusal = false;
        int seen = 0;
        for (int n = 0; n < 400; n++) {
            if (restarts && random.nextInt(3) == 0) {
                // The unlogged totals open empty at a task start, the three stores restored
                forgetTotals();
            }
            at = at.plusSeconds(5);
            String agent = random.nextBoolean() ? "buyer" : "clerk";
            String id = "r-" + n;
            String text = "x".repeat(random.nextInt(3_000));
            switch (random.nextInt(8)) {
                case 0, 1 -> mediator.send(AgentIntent.newBuilder(overAuthority(id, agent)).setReasoning(text).build(), at);
                case 2 -> mediator.send(AgentIntent.newBuilder(routine(id, agent)).setReasoning(text)
                        .setDependsOn(List.of(executed.isEmpty() ? "never-" + n : executed.get(random.nextInt(executed.size())))).build(), at);
                case 3 -> mediator.send(AgentIntent.newBuilder(booking(id, agent)).setReasoning(text).build(), at);
                case 4 -> {
                    if (!open.isEmpty()) {
                        mediator.approve(open.remove(random.nextInt(open.size())), "manager",
                                random.nextBoolean() ? ApprovalDecision.APPROVE : ApprovalDecision.DENY, at);
                    }
                }
                case 5 -> {
                    if (!executed.isEmpty()) {
                        mediator.report(executed.remove(random.nextInt(executed.size())),
                                random.nextBoolean() ? OutcomeStatus.COMPLETED : OutcomeStatus.FAILED, null, at);
                    }
                }
                case 6 -> {
                    if (!open.isEmpty()) {
                        // A note rewrites an open escalation: an approval by no approver of the policy, or an outcome for it
                        String noted = open.get(random.nextInt(open.size()));
                        if (random.nextBoolean()) {
                            mediator.approve(new Approval(noted, "stranger", ApprovalDecision.APPROVE, "y".repeat(random.nextInt(300)), null,
                                    null), null, at);
                        } else {
                            mediator.report(noted, OutcomeStatus.COMPLETED, null, at);
                        }
                        CaseFileValue filed = mediator.<CaseFileValue>store(GateStores.OPEN_ESCALATIONS).get(noted);
                        // Compared as text: Avro's equals cannot compare the arrays of claims with their optional times
                        assertThat(mediator.caseFiles().get(noted)).as("%s as published", noted).hasToString(filed.caseFile().toString());
                    }
                }
                default -> {
                    mediator.send(routine(id, agent), at);
                    if (random.nextInt(10) == 0) {
                        at = at.plus(Duration.ofMinutes(30));
                        mediator.advanceWallClock(Duration.ofMinutes(30));
                    }
                }
            }
            List<Decision> decisions = mediator.decisions();
            for (Decision decision : decisions.subList(seen, decisions.size())) {
                String intent = decision.getIntentId();
                if (decision.getOutcome() == DecisionOutcome.ESCALATE && !open.contains(intent)) {
                    open.add(intent);
                } else if (decision.getOutcome() != DecisionOutcome.ESCALATE) {
                    open.remove(intent);
                    if (decision.getOutcome() == DecisionOutcome.EXECUTE && !executed.contains(intent)) {
                        executed.add(intent);
                    }
                    sawRefusal |= decision.getReasons().stream().anyMatch(r -> r.getMessage().contains("limits.agent.kept.bytes"));
                }
            }
            seen = decisions.size();

            // Then after every step the per-agent totals are what the stores hold (once counted since the last restart)
            if (mediator.<Long>store(GateStores.KEPT_BYTES_PER_AGENT).get("counted") != null) {
                assertThat(keptByAgent()).as("after step %d", n).isEqualTo(countedFromTheStores());
            }
        }
        assertThat(countedFromTheStores()).as("something is kept at the end").isNotEmpty();
        assertThat(sawRefusal).as("the run reached the limit").isTrue();
    }

    @Test
    void shouldCountAWaitingIntentThatWakesFirstAfterTheTaskStartsOnlyOnce() {
        // Given a buyer with an open escalation and an intent waiting for a task
        mediator.send(routine("task", "buyer"), T0);
        mediator.send(overAuthority("open-1", "buyer"), T0.plusSeconds(1));
        mediator.send(AgentIntent.newBuilder(routine("waiter", "buyer")).setDependsOn(List.of("task")).build(), T0.plusSeconds(2));
        assertThat(mediator.decision("open-1").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(mediator.decision("waiter")).as("waiting").isNull();
        assertThat(keptByAgent()).isEqualTo(countedFromTheStores());

        // And the task restarted: kept-bytes-per-agent is not logged, so it opens empty while the three stores are restored
        KeyValueStore<String, Long> kept = mediator.store(GateStores.KEPT_BYTES_PER_AGENT);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = kept.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        keys.forEach(kept::delete);

        // When the first thing the task does is wake the waiting intent (its task failed)
        mediator.report("task", OutcomeStatus.FAILED, null, T0.plusSeconds(3));
        assertThat(mediator.decision("waiter").getOutcome()).isEqualTo(DecisionOutcome.REJECT);

        // Then the buyer's total is its open escalation, not that less the woken intent a second time
        assertThat(keptByAgent()).isEqualTo(countedFromTheStores());
    }

    private Map<String, Long> keptByAgent() {
        Map<String, Long> kept = new TreeMap<>();
        KeyValueStore<String, Long> store = mediator.store(GateStores.KEPT_BYTES_PER_AGENT);
        try (KeyValueIterator<String, Long> all = store.all()) {
            all.forEachRemaining(entry -> {
                if (entry.key.startsWith("agent/")) {
                    kept.put(entry.key.substring("agent/".length()), entry.value);
                }
            });
        }
        return kept;
    }

    /** What the three stores hold, by agent, each entry as its value encodes. */
    private Map<String, Long> countedFromTheStores() {
        Map<String, Long> counted = new TreeMap<>();
        // An escalation or a parked case file as its store holds it: the length of the bytes the store hands back.
        this.<CaseFileValue>sum(GateStores.OPEN_ESCALATIONS, counted, c -> c.caseFile().getAgentId(), CaseFileValue::bytes);
        this.<CaseFileValue>sum(GateStores.AWAITING_CLAIMS, counted, c -> c.caseFile().getAgentId(), CaseFileValue::bytes);
        this.<WaitingIntent>sum(GateStores.WAITING_INTENTS, counted, w -> w.getCaseFile().getAgentId(),
                w -> RecordSize.encodedBytes(w::toByteBuffer, "w"));
        return counted;
    }

    private <V> void sum(String storeName, Map<String, Long> into, Function<V, String> agent, Function<V, Integer> bytes) {
        KeyValueStore<String, V> store = mediator.store(storeName);
        try (KeyValueIterator<String, V> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, V> entry = all.next();
                into.merge(agent.apply(entry.value), (long) bytes.apply(entry.value), Long::sum);
            }
        }
    }

    private long reservedMicros(String agentId) {
        return mediator.agentBudgets(agentId, T0).get(0).reservedMicros();
    }

    private static Reason only(Decision decision) {
        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(decision.getReasons()).hasSize(1);
        return decision.getReasons().get(0);
    }

    private static CheckResult check(AuditRecord caseFile, String name) {
        return caseFile.getChecks().stream().filter(c -> c.getCheck().equals(name)).findFirst().orElseThrow();
    }

    private static AgentIntent overAuthority(String intentId, String agentId) {
        return AgentIntent.newBuilder(routine(intentId, agentId)).setCommitmentMicros(5_000).build();
    }

    private static AgentIntent routine(String intentId, String agentId) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId(agentId).setAction("purchase-order.create").setTarget("erp")
                .setCostMicros(1_000).setCommitmentMicros(0).setConfidence(0.9).setReasoning(REASONING).build();
    }

    private static AgentIntent booking(String intentId, String agentId) {
        return AgentIntent.newBuilder(routine(intentId, agentId))
                .setClaims(List.of(new ResourceClaim("room:" + intentId.hashCode() % 3, 1L, NINE, NINE.plus(Duration.ofHours(1))))).build();
    }
}
