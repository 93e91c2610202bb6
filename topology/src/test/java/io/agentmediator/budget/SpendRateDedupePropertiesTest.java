package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.limits.InputLimits;
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
import io.agentmediator.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Three agents in America/New_York (two in a shared pool) with DAY and MONTH budgets, rate
 * limits and an authority threshold, driven through the whole topology with random intents, retries (same and other
 * content), approvals, denials, expiries, outcomes (above/below/without actual; late; unknown ids), policy changes that
 * lower and raise limits, and time crossing the month boundary and the DST changes. An independent model (its own
 * calendar, its own token bucket, balances recomputed from every charge each step) predicts every decision exactly and
 * every stored balance.
 */
class SpendRateDedupePropertiesTest {

    static final ZoneId NY = ZoneId.of("America/New_York");
    static final long MAX = InputLimits.MAX_AMOUNT_MICROS;
    static final Duration ESCALATION_TIMEOUT = Duration.ofHours(1);
    static final Duration CASE_RETENTION = Duration.ofHours(3);
    static final long AUTHORITY = 50;
    /** Scenario starts: before the Oct/Nov month end + fall-back; before the spring-forward; before the Feb/Mar month end. */
    static final List<Instant> STARTS = List.of(Instant.parse("2026-11-01T02:00:00Z"), Instant.parse("2026-03-08T03:00:00Z"),
            Instant.parse("2026-03-01T02:30:00Z"), Instant.parse("2026-11-01T05:10:00Z"));
    static final Map<String, Integer> CAPACITY = Map.of("a", 4, "b", 3, "c", 5);

    /** limits: agent a DAY, MONTH; b DAY, MONTH; c DAY, MONTH; pool DAY, MONTH. */
    static final List<long[]> LIMITS = List.of(
            new long[] {100, 300, 80, 200, 60, 150, 150, 400},
            new long[] {40, 120, 30, 80, 20, 50, 60, 160},
            new long[] {200, 600, 160, 400, 120, 300, 300, 800},
            new long[] {MAX, MAX, 80, 200, MAX, MAX, MAX, MAX},
            new long[] {0, 300, 80, 0, 60, 150, 0, 400});

    static String policy(int version, long[] l) {
        return """
                version: "p-%d"
                defaults: { zone: America/New_York, escalationTimeout: PT1H }
                tiers: [MANAGER]
                agents:
                  - id: a
                    capabilities: { actions: ["*"], targets: ["*"] }
                    authority: { maxCommitmentMicros: 50 }
                    rateLimit: { capacity: 4, refillPerSecond: 0.01 }
                    budgets: [ { window: DAY, limitMicros: %d }, { window: MONTH, limitMicros: %d } ]
                    pool: dept
                  - id: b
                    capabilities: { actions: ["*"], targets: ["*"] }
                    authority: { maxCommitmentMicros: 50 }
                    rateLimit: { capacity: 3, refillPerSecond: 0.01 }
                    budgets: [ { window: DAY, limitMicros: %d }, { window: MONTH, limitMicros: %d } ]
                    pool: dept
                  - id: c
                    capabilities: { actions: ["*"], targets: ["*"] }
                    authority: { maxCommitmentMicros: 50 }
                    rateLimit: { capacity: 5, refillPerSecond: 0.01 }
                    budgets: [ { window: DAY, limitMicros: %d }, { window: MONTH, limitMicros: %d } ]
                pools:
                  - { id: dept, budgets: [ { window: DAY, limitMicros: %d }, { window: MONTH, limitMicros: %d } ] }
                approvers:
                  - { id: boss, tier: MANAGER, publicKey: "%s" }
                executors:
                  - { id: executor-1, agents: [a, b, c], publicKey: "%s" }
                """.formatted(version, l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], TestKeys.publicKey("boss"),
                TestKeys.publicKey("executor-1"));
    }

    @Test
    void everyDecisionAndBalanceIsWhatTheModelSays() {
        // -Dproperties.seed=… draws other sequences, as RandomCases does; each failure names the seed that replays it.
        long base = Long.decode(System.getProperty("properties.seed", "39"));
        int tries = 60;
        int[] totals = new int[8];
        for (int t = 0; t < tries; t++) {
            long seed = base * 1000 + t;
            Run run = new Run(new Random(seed));
            try {
                run.go();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " failed; steps:\n" + String.join("\n", run.log), e);
            }
            for (int i = 0; i < totals.length; i++) {
                totals[i] += run.m.counts[i];
            }
        }
        // Liveness: a gate that rejects everything, never rate-limits, never escalates... fails here.
        assertThat(totals[0]).as("executed at once").isGreaterThan(100);
        assertThat(totals[1]).as("rate limited").isGreaterThan(20);
        assertThat(totals[2]).as("budget exceeded").isGreaterThan(20);
        assertThat(totals[3]).as("pool exceeded").isGreaterThan(5);
        assertThat(totals[4]).as("duplicates").isGreaterThan(20);
        assertThat(totals[5]).as("approved").isGreaterThan(5);
        assertThat(totals[6]).as("expired").isGreaterThan(5);
        assertThat(totals[7]).as("outcomes settled").isGreaterThan(50);
    }

    final class Run {
        final Random r;
        final List<String> log = new ArrayList<>();
        Model m;

        Run(Random r) {
            this.r = r;
        }

        void go() {
            Instant start = STARTS.get(r.nextInt(STARTS.size()));
            int policyIndex = 0;
            int version = 1;
            MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.CASE_RETENTION, CASE_RETENTION.toString());
            try (PipelineDriver p = new PipelineDriver(policy(version, LIMITS.get(0)), start, config)) {
                m = new Model(LIMITS.get(0));
                Instant now = start;
                int seen = 0;
                int steps = 20 + r.nextInt(60);
                List<String> ids = new ArrayList<>();
                int unknown = 0;
                for (int s = 0; s < steps; s++) {
                    Duration after = switch (r.nextInt(10)) {
                        case 0, 1, 2 -> Duration.ZERO;
                        case 3, 4, 5, 6 -> Duration.ofSeconds(1 + r.nextInt(300));
                        case 7, 8 -> Duration.ofMinutes(5 + r.nextInt(90));
                        default -> Duration.ofMinutes(60 + r.nextInt(240));
                    };
                    now = now.plus(after);
                    List<Expect> expected = new ArrayList<>();
                    if (!after.isZero()) {
                        p.advanceWallClock(after);
                        seen = absorb(p, seen, List.of(), now, "wall clock +" + after);
                        m.forgotten(p.caseFiles(), now);
                    }
                    int kind = ids.isEmpty() ? 0 : r.nextInt(20);
                    String line;
                    if (kind < 9) {
                        String agent = List.of("a", "b", "c").get(r.nextInt(3));
                        if (r.nextInt(5) == 0) {
                            // a burst: several intents of one agent a second or less apart, before this one
                            int burst = 2 + r.nextInt(5);
                            for (int k = 0; k < burst; k++) {
                                String bid = "i-" + ids.size();
                                long bcost = r.nextInt(3);
                                Expect e = m.intent(bid, agent, bcost, 0, now);
                                ids.add(bid);
                                log.add("  burst " + bid + " " + agent + " cost=" + bcost + " @" + now);
                                p.send(intent(bid, agent, bcost, 0), now);
                                seen = absorb(p, seen, List.of(e), now, "burst " + bid);
                                now = now.plusMillis(r.nextInt(1000));
                            }
                        }
                        String id = "i-" + ids.size();
                        long cost = m.drawCost(r, agent, now);
                        long commitment = r.nextInt(4) == 0 ? AUTHORITY + 1 + r.nextInt(100) : r.nextInt((int) AUTHORITY + 1);
                        line = "INTENT " + id + " " + agent + " cost=" + cost + " commit=" + commitment;
                        if (cost > MAX) {
                            // check 1: MALFORMED, the id not remembered (a later intent may use it)
                            expected.add(new Expect(id, DecisionOutcome.REJECT, ReasonCode.MALFORMED));
                        } else {
                            expected.add(m.intent(id, agent, cost, commitment, now));
                            ids.add(id);
                        }
                        p.send(intent(id, agent, cost, commitment), now);
                    } else if (kind < 11) {
                        String id = ids.get(r.nextInt(ids.size()));
                        Charge c = m.charges.get(id);
                        boolean same = r.nextBoolean();
                        long cost = same ? c.estimate : m.drawCost(r, c.agent, now);
                        long commitment = same ? c.commitment : r.nextInt(120);
                        line = "RETRY " + id + " " + c.agent + " cost=" + cost + " commit=" + commitment;
                        if (cost > MAX) {
                            expected.add(new Expect(id, DecisionOutcome.REJECT, ReasonCode.MALFORMED));
                        } else {
                            expected.add(new Expect(id, DecisionOutcome.REJECT, ReasonCode.DUPLICATE));
                            m.counts[4]++;
                        }
                        p.send(intent(id, c.agent, cost, commitment), now);
                    } else if (kind < 14) {
                        List<String> escalated = m.escalated();
                        String id = !escalated.isEmpty() && r.nextInt(4) != 0 ? escalated.get(r.nextInt(escalated.size()))
                                : ids.get(r.nextInt(ids.size()));
                        boolean approve = r.nextInt(3) != 0;
                        line = (approve ? "APPROVE " : "DENY ") + id;
                        Expect e = m.answer(id, approve, now);
                        if (e != null) {
                            expected.add(e);
                        }
                        p.approve(id, "boss", approve ? ApprovalDecision.APPROVE : ApprovalDecision.DENY, now);
                    } else if (kind < 18) {
                        boolean unknownId = r.nextInt(8) == 0;
                        String id = unknownId ? "u-" + unknown++ : ids.get(r.nextInt(ids.size()));
                        OutcomeStatus status = switch (r.nextInt(6)) {
                            case 0 -> OutcomeStatus.FAILED;
                            case 1 -> OutcomeStatus.COMPENSATED;
                            default -> OutcomeStatus.COMPLETED;
                        };
                        Long actual = switch (r.nextInt(6)) {
                            case 0 -> null;
                            case 1 -> 0L;
                            case 2 -> (long) r.nextInt(20);
                            case 3 -> m.charges.containsKey(id) ? Math.min(MAX, m.charges.get(id).estimate + 1 + r.nextInt(40)) : 5L;
                            case 4 -> m.charges.containsKey(id) ? Math.max(0, m.charges.get(id).estimate - 1) : 5L;
                            default -> m.charges.containsKey(id) ? m.charges.get(id).estimate : 7L;
                        };
                        line = "OUTCOME " + id + " " + status + " actual=" + actual;
                        m.outcome(id, status, actual);
                        p.report(id, status, actual, now);
                    } else if (kind < 19) {
                        policyIndex = r.nextInt(LIMITS.size());
                        version++;
                        line = "POLICY " + policyIndex + " (p-" + version + ")";
                        Policy next = PolicyParser.parse("next.yaml", policy(version, LIMITS.get(policyIndex))).policy();
                        m.limits = LIMITS.get(policyIndex);
                        p.pipe(p.topics().policies(), "default".getBytes(StandardCharsets.UTF_8),
                                p.topics().policySerde().serializer().serialize(p.topics().policies().name(), PolicyCodec.toAvro(next)), now);
                    } else {
                        line = "TICK";
                    }
                    log.add("+" + after + " @" + now + " " + line);

                    seen = absorb(p, seen, expected, now, line);
                    m.mustHaveExpired(now);
                    Map<String, AuditRecord> caseFiles = p.caseFiles();
                    m.forgotten(caseFiles, now);
                    // Case files: the latest decision of each intent is the model's (a duplicate never replaces it)
                    for (Charge c : m.charges.values()) {
                        AuditRecord cf = caseFiles.get(c.id);
                        assertThat(cf).as("case file of %s", c.id).isNotNull();
                        assertThat(cf.getDecision().getOutcome()).as("case file decision of %s", c.id).isEqualTo(c.latest);
                    }
                    // Balances: every stored window equals the sum of the charges in it
                    Map<String, List<Long>> stored = stored(p, "budget-balances", "agent:");
                    stored.putAll(stored(p, "pool-balances", "pool:"));
                    stored.values().removeIf(List.of(0L, 0L)::equals);
                    assertThat(new TreeMap<>(stored)).as("balances after %s", line).isEqualTo(new TreeMap<>(m.balances()));
                }
                assertThat(p.deadLetters()).isEmpty();
            }
        }

        int absorb(PipelineDriver p, int seen, List<Expect> expected, Instant now, String line) {
            List<Decision> all = p.decisions();
            List<Decision> fresh = all.subList(seen, all.size());
            List<Expect> actual = new ArrayList<>();
            for (Decision d : fresh) {
                actual.add(new Expect(d.getIntentId(), d.getOutcome(), d.getReasons().isEmpty() ? null : d.getReasons().get(0).getCode()));
            }
            List<Expect> unexplained = new ArrayList<>(actual);
            for (Expect e : expected) {
                assertThat(unexplained.remove(e)).as("after %s expected %s among %s (%s)", line, e, actual, fresh).isTrue();
            }
            for (Expect e : unexplained) {
                // Only expiries of open escalations past their deadline may come unasked.
                assertThat(e.code()).as("after %s unexpected decision %s; all: %s", line, e, fresh).isEqualTo(ReasonCode.ESCALATION_EXPIRED);
                m.expired(e.id(), now);
            }
            for (Decision d : fresh) {
                if (d.getOutcome() == DecisionOutcome.ESCALATE) {
                    assertThat(d.getDeadline()).as("deadline of %s", d.getIntentId()).isEqualTo(m.charges.get(d.getIntentId()).at.plus(ESCALATION_TIMEOUT));
                }
            }
            return all.size();
        }
    }

    static AgentIntent intent(String id, String agent, long cost, long commitment) {
        return AgentIntent.newBuilder().setIntentId(id).setAgentId(agent).setAction("buy").setTarget("erp").setCostMicros(cost)
                .setCommitmentMicros(commitment).setConfidence(0.9).build();
    }

    static Map<String, List<Long>> stored(PipelineDriver pipeline, String storeName, String prefix) {
        KeyValueStore<String, WindowBalance> store = pipeline.store(storeName);
        Map<String, List<Long>> balances = new HashMap<>();
        try (KeyValueIterator<String, WindowBalance> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, WindowBalance> entry = all.next();
                balances.put(prefix + StoreKeys.scopeOf(entry.key) + "|" + StoreKeys.afterScope(entry.key),
                        List.of(entry.value.spentMicros(), entry.value.reservedMicros()));
            }
        }
        return balances;
    }

    record Expect(String id, DecisionOutcome outcome, ReasonCode code) {}

    enum State { OPEN, SETTLED, RELEASED, NONE }

    static final class Charge {
        String id;
        String agent;
        long estimate;
        long commitment;
        Instant at;
        List<String> keys = List.of();
        State state = State.NONE;
        long spent;
        DecisionOutcome latest;
        Instant executedAt;
        boolean outcomeSeen;
    }

    final class Model {
        long[] limits;
        final Map<String, Charge> charges = new LinkedHashMap<>();
        /** micro-tokens and last refill ms per agent. */
        final Map<String, long[]> buckets = new HashMap<>();
        final int[] counts = new int[8];

        Model(long[] limits) {
            this.limits = limits;
        }

        List<String> ownKeys(String agent, Instant at) {
            return List.of("agent:" + agent + "|DAY:" + LocalDate.ofInstant(at, NY), "agent:" + agent + "|MONTH:" + YearMonth.from(at.atZone(NY)));
        }

        List<String> poolKeys(Instant at) {
            return List.of("pool:dept|DAY:" + LocalDate.ofInstant(at, NY), "pool:dept|MONTH:" + YearMonth.from(at.atZone(NY)));
        }

        long[] ownLimits(String agent) {
            int o = switch (agent) { case "a" -> 0; case "b" -> 2; default -> 4; };
            return new long[] {limits[o], limits[o + 1]};
        }

        long used(String key) {
            long used = 0;
            for (Charge c : charges.values()) {
                if (c.keys.contains(key)) {
                    used += c.state == State.OPEN ? c.estimate : c.state == State.SETTLED ? c.spent : 0;
                }
            }
            return used;
        }

        boolean room(List<String> keys, long[] lim, long cost) {
            for (int i = 0; i < keys.size(); i++) {
                if (cost > lim[i] - used(keys.get(i))) {
                    return false;
                }
            }
            return true;
        }

        long drawCost(Random r, String agent, Instant now) {
            List<String> keys = ownKeys(agent, now);
            long[] lim = ownLimits(agent);
            int w = r.nextInt(2);
            long remaining = lim[w] - used(keys.get(w));
            if (agent.equals("c") == false) {
                remaining = Math.min(remaining, limits[6 + w] - used(poolKeys(now).get(w)));
            }
            return switch (r.nextInt(12)) {
                case 0 -> 0;
                case 1, 2 -> Math.max(0, remaining);
                case 3 -> Math.max(0, remaining + 1);
                case 4 -> MAX;
                case 5 -> Math.max(0, remaining - 1);
                default -> 1 + r.nextInt(40);
            };
        }

        boolean token(String agent, Instant at) {
            long ms = at.toEpochMilli();
            long cap = CAPACITY.get(agent) * 1_000_000L;
            long[] b = buckets.computeIfAbsent(agent, k -> new long[] {cap, ms});
            if (ms > b[1]) {
                b[0] = Math.min(cap, b[0] + (ms - b[1]) * 10);
                b[1] = ms;
            }
            if (b[0] >= 1_000_000L) {
                b[0] -= 1_000_000L;
                return true;
            }
            return false;
        }

        Expect intent(String id, String agent, long cost, long commitment, Instant at) {
            Charge c = new Charge();
            c.id = id;
            c.agent = agent;
            c.estimate = cost;
            c.commitment = commitment;
            c.at = at;
            charges.put(id, c);
            if (!token(agent, at)) {
                counts[1]++;
                return decided(c, DecisionOutcome.REJECT, ReasonCode.RATE_LIMITED);
            }
            List<String> own = ownKeys(agent, at);
            if (!room(own, ownLimits(agent), cost)) {
                counts[2]++;
                return decided(c, DecisionOutcome.REJECT, ReasonCode.BUDGET_EXCEEDED);
            }
            List<String> keys = new ArrayList<>(own);
            if (!agent.equals("c")) {
                List<String> pool = poolKeys(at);
                if (!room(pool, new long[] {limits[6], limits[7]}, cost)) {
                    counts[3]++;
                    return decided(c, DecisionOutcome.REJECT, ReasonCode.POOL_BUDGET_EXCEEDED);
                }
                keys.addAll(pool);
            }
            c.keys = keys;
            c.state = State.OPEN;
            if (commitment > AUTHORITY) {
                return decided(c, DecisionOutcome.ESCALATE, ReasonCode.OVER_AUTHORITY);
            }
            counts[0]++;
            c.executedAt = at;
            return decided(c, DecisionOutcome.EXECUTE, null);
        }

        Expect decided(Charge c, DecisionOutcome outcome, ReasonCode code) {
            c.latest = outcome;
            return new Expect(c.id, outcome, code);
        }

        List<String> escalated() {
            return charges.values().stream().filter(c -> c.latest == DecisionOutcome.ESCALATE).map(c -> c.id).toList();
        }

        Expect answer(String id, boolean approve, Instant at) {
            Charge c = charges.get(id);
            if (c == null || c.latest != DecisionOutcome.ESCALATE) {
                return null;
            }
            if (!at.isBefore(c.at.plus(ESCALATION_TIMEOUT))) {
                counts[6]++;
                c.state = State.RELEASED;
                return decided(c, DecisionOutcome.REJECT, ReasonCode.ESCALATION_EXPIRED);
            }
            if (approve) {
                counts[5]++;
                c.executedAt = at;
                return decided(c, DecisionOutcome.EXECUTE, ReasonCode.APPROVED);
            }
            c.state = State.RELEASED;
            return decided(c, DecisionOutcome.REJECT, ReasonCode.DENIED);
        }

        void expired(String id, Instant now) {
            Charge c = charges.get(id);
            assertThat(c.latest).as("%s expired but is not escalated", id).isEqualTo(DecisionOutcome.ESCALATE);
            assertThat(now).as("%s expired before its deadline", id).isAfterOrEqualTo(c.at.plus(ESCALATION_TIMEOUT));
            counts[6]++;
            c.state = State.RELEASED;
            c.latest = DecisionOutcome.REJECT;
        }

        void mustHaveExpired(Instant now) {
            for (Charge c : charges.values()) {
                if (c.latest == DecisionOutcome.ESCALATE) {
                    assertThat(c.at.plus(ESCALATION_TIMEOUT).plusSeconds(11)).as("%s still escalated past its deadline", c.id).isAfter(now);
                }
            }
        }

        void outcome(String id, OutcomeStatus status, Long actual) {
            Charge c = charges.get(id);
            if (c == null || c.latest != DecisionOutcome.EXECUTE) {
                return;
            }
            if (c.state != State.OPEN) {
                c.outcomeSeen = true;
                return;
            }
            counts[7]++;
            c.outcomeSeen = true;
            if (actual != null) {
                c.state = State.SETTLED;
                c.spent = actual;
            } else if (status == OutcomeStatus.COMPLETED) {
                c.state = State.SETTLED;
                c.spent = c.estimate;
            } else {
                c.state = State.RELEASED;
            }
        }

        void forgotten(Map<String, AuditRecord> caseFiles, Instant now) {
            for (Charge c : charges.values()) {
                if (c.latest != DecisionOutcome.EXECUTE || c.state != State.OPEN) {
                    continue;
                }
                AuditRecord cf = caseFiles.get(c.id);
                boolean settled = cf.getTimeline().stream().anyMatch(entry -> entry.getEvent().equals("SETTLED")
                        && entry.getDetail() != null && entry.getDetail().startsWith("no outcome reported within the case retention"));
                if (settled) {
                    assertThat(now).as("%s forgotten before the case retention", c.id).isAfterOrEqualTo(c.executedAt.plus(CASE_RETENTION));
                    c.state = State.SETTLED;
                    c.spent = c.estimate;
                } else {
                    assertThat(c.executedAt.plus(CASE_RETENTION).plusSeconds(11)).as("%s unreported past the case retention, still open", c.id)
                            .isAfter(now);
                }
            }
        }

        Map<String, List<Long>> balances() {
            Map<String, long[]> w = new HashMap<>();
            for (Charge c : charges.values()) {
                for (String k : c.keys) {
                    long[] b = w.computeIfAbsent(k, x -> new long[2]);
                    if (c.state == State.OPEN) {
                        b[1] += c.estimate;
                    } else if (c.state == State.SETTLED) {
                        b[0] += c.spent;
                    }
                }
            }
            Map<String, List<Long>> out = new HashMap<>();
            w.forEach((k, b) -> {
                if (b[0] != 0 || b[1] != 0) {
                    out.put(k, List.of(b[0], b[1]));
                }
            });
            return out;
        }
    }
}
