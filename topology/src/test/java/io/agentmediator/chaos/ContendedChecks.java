package io.agentmediator.chaos;

import io.agentmediator.budget.WindowBalance;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.internal.Hold;
import io.agentmediator.schema.internal.ResourceHolds;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How the contended agents' decisions are judged (see {@link ChaosEvents}): their answers, their
 * pools' budgets and other agents' claims reach the mediator in an order across partitions that no
 * oracle can fix, so instead of comparing with one, each check holds whatever the interleaving:
 * <ul>
 *   <li>every intent has exactly one initial decision, its retries one DUPLICATE each, and every
 *       answer sent exactly the follow-up it calls for (APPROVED or DENIED), nothing else;</li>
 *   <li>each initial decision is the one its grounds call for (the {@code backtest} of the policy
 *       with nothing to spend or contend for), except where spending or a conflict changed it, and
 *       each such change is possible: a budget or pool refusal only when what ever held a reservation
 *       there, plus the intent, exceeds the limit, a conflict only when what was ever held overlapping the
 *       claim, plus the claim, exceeds the capacity (so a gate that refuses everything fails);</li>
 *   <li>no version of any budget or pool window ever committed holds more than its limit, and no
 *       version of a resource's holds more than its capacity;</li>
 *   <li>at the end, each agent's and pool's windows hold exactly what the decisions and answers say
 *       they keep, and each resource exactly the holds they say it keeps.</li>
 * </ul>
 */
final class ContendedChecks {

    /** A store's changelog record: a key and its new value, {@code null} when deleted. */
    record Change<V>(String key, V value) {}

    /** Reasons the gate checks before anything is spent: no interleaving can change them. */
    private static final Set<ReasonCode> BEFORE_SPENDING = EnumSet.of(ReasonCode.ACTION_NOT_ALLOWED, ReasonCode.TARGET_NOT_ALLOWED,
            ReasonCode.DATA_CLASS_NOT_ALLOWED, ReasonCode.DATA_FLOW_NOT_ALLOWED, ReasonCode.RATE_LIMITED);
    private static final Set<ReasonCode> SPENDING = EnumSet.of(ReasonCode.BUDGET_EXCEEDED, ReasonCode.POOL_BUDGET_EXCEEDED);
    private static final Set<ReasonCode> ANSWERS = EnumSet.of(ReasonCode.APPROVED, ReasonCode.DENIED, ReasonCode.ESCALATION_EXPIRED,
            ReasonCode.DUPLICATE);

    private final int intents;
    private final Map<String, AgentIntent> sent = new TreeMap<>();
    private final Map<String, Instant> sentAt = new HashMap<>();
    private final Map<String, Integer> retries = new HashMap<>();
    private final Map<String, Decision> grounds;
    private final Map<String, Decision> initial = new HashMap<>();
    private final Map<String, ApprovalDecision> approvals;
    private final Map<String, Outcome> outcomes;
    private final Map<String, Integer> counts = new LinkedHashMap<>();

    /**
     * @param events everything the run sent
     * @param intents the size of the run, which the policy's limits are sized by
     * @param groundsOracle the backtest of {@link ChaosEvents#groundsPolicyYaml} over the contended agents' intents without their claims
     * @param approvals the answers the approver sent, by intent id
     * @param outcomes the outcomes the executor sent, by intent id
     */
    ContendedChecks(List<ChaosEvents.Event> events, int intents, List<Decision> groundsOracle,
            Map<String, ApprovalDecision> approvals, Map<String, Outcome> outcomes) {
        this.intents = intents;
        for (ChaosEvents.Event event : events) {
            if (event.malformed() || !ChaosEvents.contended(event.intent().getAgentId())) {
                continue;
            }
            if (event.retry()) {
                retries.merge(event.intent().getIntentId(), 1, Integer::sum);
            } else {
                sent.put(event.intent().getIntentId(), event.intent());
                sentAt.put(event.intent().getIntentId(), event.at());
            }
        }
        this.grounds = groundsOracle.stream().filter(d -> !has(d, ReasonCode.DUPLICATE))
                .collect(Collectors.toMap(Decision::getIntentId, Function.identity(), (a, b) -> a));
        this.approvals = approvals;
        this.outcomes = outcomes;
    }

    /** What the checks compared and found, by name. */
    Map<String, Integer> counts() {
        return counts;
    }

    /**
     * The decisions of the contended agents among {@code actual}: each intent's initial decision, its
     * DUPLICATE answers and follow-ups as counted, and its initial decision as its grounds call for.
     */
    List<String> decisions(List<Decision> actual) {
        Map<String, List<Decision>> byIntent = new TreeMap<>();
        actual.stream().filter(d -> ChaosEvents.contended(d.getAgentId()))
                .forEach(d -> byIntent.computeIfAbsent(d.getIntentId(), id -> new ArrayList<>()).add(d));
        List<String> failures = new ArrayList<>();
        for (String id : byIntent.keySet()) {
            if (!sent.containsKey(id)) {
                failures.add(id + ": decided " + describe(byIntent.get(id)) + ", never sent");
            }
        }
        initial.clear();
        int missing = 0;
        int doubled = 0;
        int unfounded = 0;
        for (Map.Entry<String, AgentIntent> intent : sent.entrySet()) {
            String id = intent.getKey();
            List<Decision> got = byIntent.getOrDefault(id, List.of());
            List<Decision> initials = got.stream().filter(d -> !answer(d)).toList();
            long duplicates = got.stream().filter(d -> has(d, ReasonCode.DUPLICATE)).count();
            List<Decision> followUps = got.stream().filter(d -> answer(d) && !has(d, ReasonCode.DUPLICATE)).toList();
            if (initials.isEmpty()) {
                missing++;
                failures.add(id + ": no initial decision; got " + describe(got));
                continue;
            }
            if (initials.size() > 1 || duplicates != retries.getOrDefault(id, 0)) {
                doubled++;
                failures.add(id + ": " + initials.size() + " initial decisions and " + duplicates + " DUPLICATE for "
                        + retries.getOrDefault(id, 0) + " retries: " + describe(got));
            }
            Decision first = initials.get(0);
            initial.put(id, first);
            FollowUp followUp = expectedFollowUp(id, first);
            boolean followedUp = followUp == null ? followUps.isEmpty()
                    : followUps.size() == 1 && followUps.get(0).getOutcome() == followUp.outcome() && has(followUps.get(0), followUp.reason());
            if (!followedUp) {
                failures.add(id + ": follow-ups " + describe(followUps) + ", the answer sent calls for " + (followUp == null ? "none" : followUp));
            }
            String unfoundedBy = againstGrounds(first, grounds.get(id));
            if (unfoundedBy != null) {
                unfounded++;
                failures.add(id + ": " + describe(List.of(first)) + " " + unfoundedBy);
            }
        }
        counts.put("contended intents sent", sent.size());
        counts.put("contended missing", missing);
        counts.put("contended doubled", doubled);
        counts.put("contended against their grounds", unfounded);
        initial.values().stream().collect(Collectors.groupingBy(d -> "contended initial " + d.getOutcome()
                        + (d.getReasons().isEmpty() ? "" : " " + d.getReasons().get(0).getCode()), TreeMap::new, Collectors.counting()))
                .forEach((what, count) -> counts.put(what, count.intValue()));
        counts.put("approvals sent", (int) approvals.values().stream().filter(a -> a == ApprovalDecision.APPROVE).count());
        counts.put("denials sent", (int) approvals.values().stream().filter(a -> a == ApprovalDecision.DENY).count());
        outcomes.values().stream().collect(Collectors.groupingBy(o -> "outcomes sent " + o.getStatus(), TreeMap::new, Collectors.counting()))
                .forEach((what, count) -> counts.put(what, count.intValue()));
        return failures;
    }

    /**
     * Every refusal for spending and every conflict must have been possible: over what ever held a
     * reservation in the window, or was ever held on the resource overlapping the claim. Needs {@link
     * #decisions} first.
     */
    List<String> refusalsPossible(List<Change<ResourceHolds>> holdHistory) {
        Map<String, List<Hold>> everHeld = new HashMap<>();
        for (Change<ResourceHolds> change : holdHistory) {
            if (change.value() != null) {
                everHeld.computeIfAbsent(StoreKeys.scopeOf(change.key()), r -> new ArrayList<>()).addAll(change.value().getHolds());
            }
        }
        List<String> failures = new ArrayList<>();
        int budgets = 0;
        int pools = 0;
        int conflicts = 0;
        for (Decision decision : initial.values()) {
            AgentIntent intent = sent.get(decision.getIntentId());
            if (firstCode(decision) == ReasonCode.BUDGET_EXCEEDED) {
                budgets++;
                if (List.of("HOUR", "DAY").stream().noneMatch(kind -> admittedIn(intent.getAgentId(), null, kind, intent) + intent.getCostMicros()
                        > (kind.equals("HOUR") ? ChaosEvents.hourLimit(intents) : ChaosEvents.dayLimit(intents)))) {
                    failures.add(intent.getIntentId() + ": BUDGET_EXCEEDED, but all that ever held a reservation in its windows, and it, fit");
                }
            }
            if (firstCode(decision) == ReasonCode.POOL_BUDGET_EXCEEDED) {
                pools++;
                if (admittedIn(null, ChaosEvents.pool(intent.getAgentId()), "DAY", intent) + intent.getCostMicros()
                        <= ChaosEvents.poolDayLimit(intents)) {
                    failures.add(intent.getIntentId() + ": POOL_BUDGET_EXCEEDED, but all that ever held a reservation in its pool's day, and it, fit");
                }
            }
            if (has(decision, ReasonCode.RESOURCE_CONFLICT)) {
                conflicts++;
                boolean possible = intent.getClaims().stream().anyMatch(claim -> claim.getQuantity()
                        + everHeld.getOrDefault(claim.getResourceId(), List.of()).stream()
                                .filter(h -> !h.getIntentId().equals(intent.getIntentId()) && overlap(h, claim))
                                .collect(Collectors.toMap(Hold::getIntentId, Hold::getQuantity, Math::max)).values().stream()
                                .mapToLong(Long::longValue).sum()
                        > ChaosEvents.capacity(claim.getResourceId()));
                if (!possible) {
                    failures.add(intent.getIntentId() + ": RESOURCE_CONFLICT, but nothing ever held overlapping its claims " + intent.getClaims()
                            + " leaves too little room");
                }
            }
        }
        counts.put("budget refusals checked", budgets);
        counts.put("pool refusals checked", pools);
        counts.put("conflicts checked", conflicts);
        return failures;
    }

    /** No committed version of any window may hold more than its limit: the history of agents' or pools' balances. */
    List<String> limits(String what, List<Change<WindowBalance>> history) {
        List<String> failures = new ArrayList<>();
        int versions = 0;
        for (Change<WindowBalance> change : history) {
            if (change.value() != null) {
                versions++;
                if (change.value().usedMicros() > change.value().limitMicros()) {
                    failures.add(what + " " + change.key() + ": " + change.value().usedMicros() + " used of a limit of " + change.value().limitMicros());
                }
            }
        }
        counts.put(what + " versions checked against their limit", versions);
        return failures;
    }

    /**
     * No committed version of a resource's holds may exceed its capacity at any instant, and at the end
     * each resource holds exactly the claims of the intents whose decisions and answers keep them. Needs
     * {@link #decisions} first.
     */
    List<String> holds(List<Change<ResourceHolds>> history) {
        Map<String, Map<String, List<Hold>>> byResource = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Change<ResourceHolds> change : history) {
            String resource = StoreKeys.scopeOf(change.key());
            Map<String, List<Hold>> holds = byResource.computeIfAbsent(resource, r -> new TreeMap<>());
            if (change.value() == null) {
                holds.remove(StoreKeys.afterScope(change.key()));
            } else {
                holds.put(StoreKeys.afterScope(change.key()), change.value().getHolds());
            }
            long peak = peak(holds.values().stream().flatMap(List::stream).toList());
            if (peak > ChaosEvents.capacity(resource)) {
                failures.add(resource + ": " + peak + " held at once, capacity " + ChaosEvents.capacity(resource) + " (" + holds.keySet() + ")");
            }
        }
        // By the intents the holds name: a record's key after its resource is the agent's and the intent's (each agent's holds
        // are a record of their own), or, written by a version before that, the intent's alone.
        Set<String> held = new TreeSet<>();
        byResource.forEach((resource, holds) -> holds.values().forEach(ofRecord -> ofRecord.forEach(hold -> held.add(resource + " "
                + hold.getIntentId()))));
        Set<String> kept = new TreeSet<>();
        initial.forEach((id, decision) -> {
            if (keepsClaims(id, decision)) {
                sent.get(id).getClaims().forEach(claim -> kept.add(claim.getResourceId() + " " + id));
            }
        });
        Set<String> extra = new TreeSet<>(held);
        extra.removeAll(kept);
        Set<String> lacking = new TreeSet<>(kept);
        lacking.removeAll(held);
        extra.forEach(hold -> failures.add("held at the end, kept by no decision: " + hold));
        lacking.forEach(hold -> failures.add("kept by its decision and answers, not held at the end: " + hold));
        counts.put("resource hold versions checked", history.size());
        counts.put("holds kept at the end", kept.size());
        return failures;
    }

    /**
     * At the end, each contended agent's windows and each pool's must hold exactly what the decisions and
     * answers keep there. Needs {@link #decisions} first.
     */
    List<String> balances(Map<String, WindowBalance> agents, Map<String, WindowBalance> pools) {
        Map<String, Long> expected = new TreeMap<>();
        initial.forEach((id, decision) -> {
            AgentIntent intent = sent.get(id);
            long kept = kept(id, decision);
            Instant at = sentAt.get(id);
            for (String kind : List.of("HOUR", "DAY")) {
                expected.merge("agent " + intent.getAgentId() + " " + kind + " " + start(kind, at), kept, Long::sum);
            }
            expected.merge("pool " + ChaosEvents.pool(intent.getAgentId()) + " DAY " + start("DAY", at), kept, Long::sum);
        });
        Map<String, Long> actual = new TreeMap<>();
        agents.forEach((key, balance) -> {
            if (ChaosEvents.contended(StoreKeys.scopeOf(key))) {
                actual.put("agent " + StoreKeys.scopeOf(key) + " " + balance.window() + " " + balance.start(), balance.usedMicros());
            }
        });
        pools.forEach((key, balance) -> actual.put("pool " + StoreKeys.scopeOf(key) + " " + balance.window() + " " + balance.start(),
                balance.usedMicros()));
        List<String> failures = new ArrayList<>();
        Set<String> windows = new TreeSet<>(expected.keySet());
        windows.addAll(actual.keySet());
        for (String window : windows) {
            long want = expected.getOrDefault(window, 0L);
            long got = actual.getOrDefault(window, 0L);
            if (want != got) {
                failures.add(window + ": holds " + got + ", the decisions and answers keep " + want);
            }
        }
        counts.put("contended and pool windows compared", windows.size());
        return failures;
    }

    /** What an intent keeps in its windows: nothing unless admitted; then its estimate, until an answer or outcome changes it. */
    private long kept(String id, Decision decision) {
        if (decision.getOutcome() == DecisionOutcome.REJECT || approvals.get(id) == ApprovalDecision.DENY) {
            return 0;
        }
        Outcome outcome = outcomes.get(id);
        if (outcome == null) {
            return sent.get(id).getCostMicros();
        }
        if (outcome.getStatus() != OutcomeStatus.COMPLETED) {
            return 0;
        }
        return outcome.getActualCostMicros() == null ? sent.get(id).getCostMicros() : outcome.getActualCostMicros();
    }

    private boolean keepsClaims(String id, Decision decision) {
        boolean granted = decision.getOutcome() == DecisionOutcome.EXECUTE
                || decision.getOutcome() == DecisionOutcome.ESCALATE && !has(decision, ReasonCode.RESOURCE_CONFLICT);
        Outcome outcome = outcomes.get(id);
        return granted && approvals.get(id) != ApprovalDecision.DENY && (outcome == null || outcome.getStatus() == OutcomeStatus.COMPLETED);
    }

    /**
     * The estimates of every intent that ever held a reservation in the window of {@code intent} of the
     * given kind, of the agent or of the pool's members. An agent's reservation is taken before its pool
     * is asked, across partitions, and kept while the answer is awaited; so an intent the pool then
     * refused held one in its agent's windows for that while, and may rightly have crowded out another.
     */
    private long admittedIn(String agent, String pool, String kind, AgentIntent intent) {
        Instant start = start(kind, sentAt.get(intent.getIntentId()));
        return initial.values().stream()
                .filter(d -> d.getOutcome() != DecisionOutcome.REJECT || agent != null && firstCode(d) == ReasonCode.POOL_BUDGET_EXCEEDED)
                .filter(d -> agent != null ? d.getAgentId().equals(agent) : ChaosEvents.pool(d.getAgentId()).equals(pool))
                .filter(d -> start(kind, sentAt.get(d.getIntentId())).equals(start))
                .mapToLong(d -> sent.get(d.getIntentId()).getCostMicros()).sum();
    }

    /** A decision that follows an answer: its outcome and the reason it must name. */
    private record FollowUp(DecisionOutcome outcome, ReasonCode reason) {}

    /** The follow-up the answer sent for an intent calls for, or null for none. */
    private FollowUp expectedFollowUp(String id, Decision first) {
        ApprovalDecision answer = approvals.get(id);
        if (answer == null || first.getOutcome() != DecisionOutcome.ESCALATE) {
            return null;
        }
        return answer == ApprovalDecision.APPROVE ? new FollowUp(DecisionOutcome.EXECUTE, ReasonCode.APPROVED)
                : new FollowUp(DecisionOutcome.REJECT, ReasonCode.DENIED);
    }

    /** Why {@code actual} cannot follow from {@code grounds}, or null when it can. */
    private static String againstGrounds(Decision actual, Decision grounds) {
        if (grounds == null) {
            return "has no decision on its grounds";
        }
        ReasonCode ground = firstCode(grounds);
        if (grounds.getOutcome() == DecisionOutcome.REJECT && BEFORE_SPENDING.contains(ground)) {
            return actual.getOutcome() == DecisionOutcome.REJECT && codes(actual).equals(codes(grounds)) ? null
                    : "; its grounds reject it before anything is spent: " + codes(grounds);
        }
        if (actual.getOutcome() == DecisionOutcome.REJECT && SPENDING.contains(firstCode(actual))) {
            return null;
        }
        List<String> withoutConflict = codes(actual).stream().filter(c -> !c.equals("RESOURCE_CONFLICT")).toList();
        boolean conflictOnly = grounds.getOutcome() == DecisionOutcome.EXECUTE && actual.getOutcome() == DecisionOutcome.ESCALATE
                && codes(actual).equals(List.of("RESOURCE_CONFLICT"));
        if (conflictOnly || actual.getOutcome() == grounds.getOutcome() && withoutConflict.equals(codes(grounds))) {
            return null;
        }
        return "; its grounds: " + grounds.getOutcome() + " " + codes(grounds);
    }

    /** The most any instant has of {@code holds}' quantities: the sum at one of their starts. */
    private static long peak(List<Hold> holds) {
        long peak = 0;
        for (Hold at : holds) {
            long sum = holds.stream().filter(h -> !h.getFrom().isAfter(at.getFrom()) && (h.getUntil() == null || h.getUntil().isAfter(at.getFrom())))
                    .mapToLong(Hold::getQuantity).sum();
            peak = Math.max(peak, sum);
        }
        return peak;
    }

    private static boolean overlap(Hold hold, ResourceClaim claim) {
        return hold.getFrom().isBefore(claim.getUntil()) && (hold.getUntil() == null || hold.getUntil().isAfter(claim.getFrom()));
    }

    private static Instant start(String kind, Instant at) {
        return at.truncatedTo(kind.equals("HOUR") ? ChronoUnit.HOURS : ChronoUnit.DAYS);
    }

    /** Whether the decision answers something (an approval, a denial, an expiry, a retry) rather than being an intent's initial one. */
    static boolean answer(Decision decision) {
        return decision.getReasons().stream().map(Reason::getCode).anyMatch(ANSWERS::contains);
    }

    static boolean has(Decision decision, ReasonCode code) {
        return decision.getReasons().stream().anyMatch(r -> r.getCode() == code);
    }

    private static ReasonCode firstCode(Decision decision) {
        return decision.getReasons().isEmpty() ? null : decision.getReasons().get(0).getCode();
    }

    private static List<String> codes(Decision decision) {
        return decision.getReasons().stream().map(r -> r.getCode() + (r.getRuleId() == null ? "" : ":" + r.getRuleId())).toList();
    }

    private static String describe(List<Decision> decisions) {
        return decisions.stream().map(d -> d.getOutcome() + " " + codes(d)).collect(Collectors.joining(", ", decisions.size() + " × [", "]"));
    }
}
