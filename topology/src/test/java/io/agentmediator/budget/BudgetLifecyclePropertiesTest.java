package io.agentmediator.budget;

import static io.agentmediator.testing.RandomCases.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.RandomCases;
import io.agentmediator.testing.RandomCases.Draw;
import io.agentmediator.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A budget's whole life through the real topology, for two agents sharing a pool: intents that execute or escalate,
 * approvals and denials, escalations that expire, outcomes (with a cost above, below or without one, repeated, for
 * intents never executed), executed intents nobody reports within a short case retention, retries, new policies (lower
 * limits, a window fewer, the zone moved to Chatham, an agent suspended) and time
 * running across Lord Howe's half-hour and Chatham's clock changes. After every step the
 * stored balances, the agents' and the pool's, are those of a model that follows the decisions the topology published;
 * every intent admitted had room in the model, and every BUDGET_EXCEEDED and POOL_BUDGET_EXCEEDED was one it had no
 * room for, so a mediator that refused everything fails too.
 */
class BudgetLifecyclePropertiesTest {

    /** An hour and a half before the clocks on Lord Howe go back from 02:00 to 01:30. */
    private static final Instant START = Instant.parse("2026-04-04T13:30:00Z");
    private static final List<String> AGENTS = List.of("a", "b");
    private static final String POOL = "team";
    /** The policy at the start, and the versions a step may publish: lower limits, another zone, a window fewer. */
    private static final List<String> POLICIES = List.of(
            policy("Australia/Lord_Howe", "[ { window: HOUR, limitMicros: 30 }, { window: DAY, limitMicros: 100 } ]",
                    "[ { window: DAY, limitMicros: 60 } ]", "[ { window: HOUR, limitMicros: 45 }, { window: MONTH, limitMicros: 150 } ]"),
            policy("Australia/Lord_Howe", "[ { window: HOUR, limitMicros: 10 }, { window: DAY, limitMicros: 40 } ]",
                    "[ { window: DAY, limitMicros: 20 } ]", "[ { window: HOUR, limitMicros: 20 }, { window: MONTH, limitMicros: 150 } ]"),
            // Chatham's clocks go back from 03:45 to 02:45 on 2026-04-05, at 14:00 UTC.
            policy("Pacific/Chatham", "[ { window: HOUR, limitMicros: 30 }, { window: DAY, limitMicros: 100 } ]",
                    "[ { window: DAY, limitMicros: 60 } ]", "[ { window: HOUR, limitMicros: 45 }, { window: MONTH, limitMicros: 150 } ]"),
            policy("Australia/Lord_Howe", "[ { window: DAY, limitMicros: 100 } ]",
                    "[ { window: WEEK, limitMicros: 60 } ]", "[ { window: MONTH, limitMicros: 150 } ]"),
            policy("Australia/Lord_Howe", "[ { window: HOUR, limitMicros: 30 }, { window: DAY, limitMicros: 100 } ]",
                    "[ { window: DAY, limitMicros: 60 } ]\n    suspended: true", "[ { window: HOUR, limitMicros: 45 }, { window: MONTH, limitMicros: 150 } ]"));

    private static String policy(String zone, String budgetsOfA, String budgetsOfB, String budgetsOfPool) {
        return """
                version: "life-1"
                defaults: { zone: %s, escalationTimeout: PT1H }
                tiers: [MANAGER]
                agents:
                  - id: a
                    capabilities: { actions: ["*"], targets: ["*"] }
                    authority: { maxCommitmentMicros: 100 }
                    budgets: %s
                    pool: team
                  - id: b
                    capabilities: { actions: ["*"], targets: ["*"] }
                    authority: { maxCommitmentMicros: 100 }
                    budgets: %s
                    pool: team
                pools:
                  - { id: team, budgets: %s }
                approvers:
                  - { id: boss, tier: MANAGER, publicKey: "%s" }
                executors:
                  - { id: executor-1, agents: [a, b], publicKey: "%s" }
                """.formatted(zone, budgetsOfA, budgetsOfB, budgetsOfPool, TestKeys.publicKey("boss"), TestKeys.publicKey("executor-1"));
    }

    @Test
    void shouldKeepEveryBalanceAsTheDecisionsAndOutcomesSay() {
        int[] admitted = {0};
        RandomCases.forAll(40, BudgetLifecyclePropertiesTest::steps, steps -> {
            try (PipelineDriver pipeline = new PipelineDriver(POLICIES.get(0), START, MediatorConfig.defaults().with(ConfigKeys.CASE_RETENTION, "PT3H"))) {
                Model model = new Model(pipeline.policy());
                int published = 1;
                Instant now = START;
                int seen = 0;
                for (Step step : steps) {
                    // Given the time the step comes at, on the record and on the wall clock
                    now = now.plus(step.after());
                    if (!step.after().isZero()) {
                        pipeline.advanceWallClock(step.after());
                        // Housekeeping ran: what it settled happened before this step.
                        model.forgotten(pipeline.caseFiles());
                    }

                    // When
                    switch (step.kind()) {
                        case INTENT -> {
                            model.sent(step.id(), step.agent(), step.amount(), now);
                            pipeline.send(AgentIntent.newBuilder().setIntentId(step.id()).setAgentId(step.agent()).setAction("buy")
                                    .setTarget("erp").setCostMicros(step.amount()).setCommitmentMicros(step.escalate() ? 500 : 0)
                                    .setConfidence(0.9).build(), now);
                        }
                        case APPROVE, DENY -> pipeline.approve(step.id(), "boss",
                                step.kind() == Kind.APPROVE ? ApprovalDecision.APPROVE : ApprovalDecision.DENY, now);
                        case OUTCOME -> {
                            // An outcome decides nothing: the model settles it at once, as the topology does.
                            model.outcome(step.id(), step.status(), step.actual());
                            pipeline.report(step.id(), step.status(), step.actual(), now);
                        }
                        case POLICY -> {
                            Policy next = PolicyParser.parse("next.yaml", POLICIES.get((int) step.amount())
                                    .replace("life-1", "life-" + ++published)).policy();
                            model.policy = next;
                            pipeline.pipe(pipeline.topics().policies(), "default".getBytes(StandardCharsets.UTF_8),
                                    pipeline.topics().policySerde().serializer().serialize(pipeline.topics().policies().name(),
                                            PolicyCodec.toAvro(next)), now);
                        }
                        case TICK -> { }
                    }

                    // Then
                    List<Decision> decisions = pipeline.decisions();
                    decisions.subList(seen, decisions.size()).forEach(model::decided);
                    seen = decisions.size();
                    Map<String, List<Long>> stored = stored(pipeline, "budget-balances");
                    stored.putAll(stored(pipeline, "pool-balances"));
                    // A window first charged by an intent its pool then refused is left empty, and pruned in time.
                    stored.values().removeIf(List.of(0L, 0L)::equals);
                    assertThat(stored).as("after %s at %s", step, now).isEqualTo(model.balancesKept(stored.keySet()));
                }
                assertThat(pipeline.deadLetters()).isEmpty();
                admitted[0] += model.admitted;
            }
        });
        assertThat(admitted[0]).as("intents admitted in all the sequences").isGreaterThan(200);
    }

    /** Each stored balance as {@code scope|window -> [spent, reserved]}. */
    private static Map<String, List<Long>> stored(PipelineDriver pipeline, String storeName) {
        KeyValueStore<String, WindowBalance> store = pipeline.store(storeName);
        Map<String, List<Long>> balances = new HashMap<>();
        try (KeyValueIterator<String, WindowBalance> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, WindowBalance> entry = all.next();
                balances.put(StoreKeys.scopeOf(entry.key) + "|" + StoreKeys.afterScope(entry.key),
                        List.of(entry.value.spentMicros(), entry.value.reservedMicros()));
            }
        }
        return balances;
    }

    /** What the decisions published say each window of each scope holds. */
    private static final class Model {

        /** The policy in force: the one the gate and the pool decide by. */
        private Policy policy;
        /** {@code scope|window -> [spent, reserved]}. */
        private final Map<String, long[]> windows = new HashMap<>();
        private final Map<String, Sent> sent = new HashMap<>();
        /** Intents holding a reservation, with the windows (of both scopes) it is in. */
        private final Map<String, List<String>> open = new HashMap<>();
        private final Map<String, DecisionOutcome> latest = new HashMap<>();
        private int admitted;

        Model(Policy policy) {
            this.policy = policy;
        }

        void sent(String id, String agent, long cost, Instant at) {
            sent.putIfAbsent(id, new Sent(agent, cost, at));
        }

        void decided(Decision decision) {
            String id = decision.getIntentId();
            if (has(decision, ReasonCode.DUPLICATE)) {
                return;
            }
            Sent intent = sent.get(id);
            if (!latest.containsKey(id)) {
                List<String> own = keys(intent.agent(), policy.agent(intent.agent()).orElseThrow().budgets(), intent.at());
                List<String> pool = keys(POOL, policy.pools().get(POOL).budgets(), intent.at());
                boolean ownRoom = room(own, policy.agent(intent.agent()).orElseThrow().budgets(), intent.cost());
                boolean poolRoom = room(pool, policy.pools().get(POOL).budgets(), intent.cost());
                if (decision.getOutcome() != DecisionOutcome.REJECT) {
                    assertThat(ownRoom && poolRoom).as("%s admitted into %s and %s without room for it (%s)", id, own, pool, snapshot())
                            .isTrue();
                    List<String> all = new ArrayList<>(own);
                    all.addAll(pool);
                    all.forEach(key -> windows.computeIfAbsent(key, k -> new long[2])[1] += intent.cost());
                    open.put(id, all);
                    admitted++;
                } else if (has(decision, ReasonCode.BUDGET_EXCEEDED)) {
                    assertThat(ownRoom).as("%s refused for its budget though %s had room (%s)", id, own, snapshot()).isFalse();
                } else if (has(decision, ReasonCode.POOL_BUDGET_EXCEEDED)) {
                    assertThat(ownRoom && !poolRoom).as("%s refused for its pool: own %s, pool %s (%s)", id, ownRoom, poolRoom, snapshot())
                            .isTrue();
                }
            } else if (decision.getOutcome() == DecisionOutcome.REJECT) {
                close(id, 0);
            }
            latest.put(id, decision.getOutcome());
        }

        /** Executed intents nobody reported within the case retention: their estimate is spent. */
        void forgotten(Map<String, AuditRecord> caseFiles) {
            for (String id : List.copyOf(open.keySet())) {
                AuditRecord caseFile = caseFiles.get(id);
                if (latest.get(id) == DecisionOutcome.EXECUTE && caseFile.getTimeline().stream().anyMatch(entry ->
                        entry.getEvent().equals("SETTLED") && entry.getDetail().startsWith("no outcome reported within the case retention"))) {
                    close(id, sent.get(id).cost());
                }
            }
        }

        void outcome(String id, OutcomeStatus status, Long actual) {
            if (latest.get(id) != DecisionOutcome.EXECUTE) {
                return;
            }
            long estimate = sent.get(id).cost();
            close(id, actual != null ? actual : status == OutcomeStatus.COMPLETED ? estimate : 0);
        }

        /** Its reservation, if still open, leaves its windows, and {@code spent} is spent there instead. */
        private void close(String id, long spent) {
            List<String> keys = open.remove(id);
            if (keys == null) {
                return;
            }
            for (String key : keys) {
                long[] window = windows.get(key);
                window[1] -= sent.get(id).cost();
                window[0] += spent;
            }
        }

        /** The model's balances of the windows the stores keep, and of those they pruned any that still hold a reservation. */
        Map<String, List<Long>> balancesKept(Set<String> kept) {
            Map<String, List<Long>> expected = new HashMap<>();
            windows.forEach((key, window) -> {
                if ((kept.contains(key) || window[1] != 0) && (window[0] != 0 || window[1] != 0)) {
                    expected.put(key, List.of(window[0], window[1]));
                }
            });
            return expected;
        }

        private boolean room(List<String> keys, List<BudgetLimit> limits, long cost) {
            boolean room = true;
            for (int i = 0; i < keys.size(); i++) {
                long[] window = windows.getOrDefault(keys.get(i), new long[2]);
                room &= window[0] + window[1] + cost <= limits.get(i).limitMicros();
            }
            return room;
        }

        private List<String> keys(String scope, List<BudgetLimit> limits, Instant at) {
            return limits.stream().map(limit -> scope + "|" + WindowCalendar.windowAt(limit.window(), policy.defaults().zone(), at).key())
                    .toList();
        }

        private static boolean has(Decision decision, ReasonCode code) {
            return decision.getReasons().stream().anyMatch(reason -> reason.getCode() == code);
        }

        private Map<String, List<Long>> snapshot() {
            Map<String, List<Long>> all = new HashMap<>();
            windows.forEach((key, window) -> all.put(key, List.of(window[0], window[1])));
            return all;
        }
    }

    private record Sent(String agent, long cost, Instant at) {}

    enum Kind { INTENT, APPROVE, DENY, OUTCOME, TICK, POLICY }

    private record Step(Kind kind, Duration after, String id, String agent, long amount, boolean escalate, OutcomeStatus status,
                        Long actual) {}

    private static List<Step> steps(Draw draw) {
        List<Step> steps = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        int count = draw.intBetween(5, 60);
        for (int i = 0; i < count; i++) {
            Duration after = draw.frequencyOf(
                    weighted(5, () -> Duration.ZERO),
                    weighted(4, () -> Duration.ofSeconds(draw.intBetween(1, 600))),
                    weighted(1, () -> Duration.ofMinutes(draw.intBetween(10, 120))));
            int some = draw.intBetween(0, Math.max(owners.size(), 1) - 1);
            Kind kind = owners.isEmpty() ? Kind.INTENT : draw.frequencyOf(
                    weighted(5, () -> Kind.INTENT), weighted(1, () -> Kind.APPROVE), weighted(1, () -> Kind.DENY),
                    weighted(3, () -> Kind.OUTCOME), weighted(1, () -> Kind.TICK), weighted(1, () -> Kind.POLICY));
            switch (kind) {
                case INTENT -> {
                    // A retry is its own agent's: an id two agents use is another story (PoolIdInUseTest).
                    boolean retry = !owners.isEmpty() && draw.intBetween(0, 9) == 0;
                    String agent = retry ? owners.get(some) : draw.oneOf(AGENTS);
                    String id = "i-" + (retry ? some : owners.size());
                    if (!retry) {
                        owners.add(agent);
                    }
                    steps.add(new Step(kind, after, id, agent, draw.frequencyOf(weighted(1, () -> 0L), weighted(6, () -> draw.longBetween(1, 30))),
                            draw.intBetween(0, 2) == 0, null, null));
                }
                case OUTCOME -> steps.add(new Step(kind, after, "i-" + some, owners.get(some), 0, false,
                        draw.oneOf(List.of(OutcomeStatus.values())), draw.intBetween(0, 2) == 0 ? null : draw.longBetween(0, 60)));
                case POLICY -> steps.add(new Step(kind, after, null, null, draw.intBetween(0, POLICIES.size() - 1), false, null, null));
                default -> steps.add(new Step(kind, after, "i-" + some, owners.get(some), 0, false, null, null));
            }
        }
        return steps;
    }
}
