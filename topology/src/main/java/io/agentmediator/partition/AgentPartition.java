package io.agentmediator.partition;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.Settlement;
import io.agentmediator.budget.StoreBudgetBook;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.guard.EntryGuard;
import io.agentmediator.keys.Picked;
import io.agentmediator.keys.StoreSweep;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.Policy;
import io.agentmediator.ratelimit.TokenBucket;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.internal.Holdings;
import io.agentmediator.schema.internal.WaitingIntent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The state of one agent partition, and the only code that reads or writes its stores: the intent
 * ids seen, rate buckets, budgets, open escalations, executed cases, what each intent holds in the
 * resource ledger, intents waiting for their dependencies and intents whose claims are out. The
 * processors of the partition (the gate, the claims and dependency answers, the case keeper) work
 * through its operations (reserve, release, settle, hold, park, wake, escalate, execute), so each
 * rule about the state lives in one place: a released intent lets go of its reservation and its
 * holdings together, a filed decision lands in exactly one of the case stores.
 *
 * <p>The processors open it with {@link #open} in their {@code init}; every store of {@link #STORES}
 * is connected to each of them.
 */
public final class AgentPartition {

    /** Every store of the partition, for connecting them to its processors. */
    public static final List<String> STORES = Stream.concat(
            Stream.of(GateStores.INTENT_IDS, GateStores.RATE_BUCKETS, GateStores.OPEN_ESCALATIONS, GateStores.OPEN_ESCALATIONS_DUE,
                    GateStores.WAITING_INTENTS, GateStores.WAITING_PER_AGENT,
                    GateStores.AWAITING_CLAIMS, GateStores.AWAITING_CLAIMS_SINCE, GateStores.AWAITING_CLAIMS_KEYS, GateStores.KEPT_BYTES_PER_AGENT,
                    GateStores.INTENT_HOLDINGS,
                    CaseStores.EXECUTED_CASES, CaseStores.EXECUTED_CASES_BY_CHANGE),
            GateStores.BUDGETS.names().stream()).toList();

    private final Duration dedupeRetention;
    private final WindowStore<String, Long> intentIds;
    private final KeyValueStore<String, TokenBucket> buckets;
    private final StoreBudgetBook budgets;
    private final OpenEscalations openEscalations;
    private final ExecutedCases executedCases;
    private final KeyValueStore<String, Holdings> holdings;
    private final KeyValueStore<String, WaitingIntent> waiting;
    private final KeyValueStore<String, Long> waitingPerAgent;
    private final KeyValueStore<String, CaseFileValue> awaitingClaims;
    private final KeyValueStore<String, Long> awaitingSince;
    private final KeyValueStore<String, Holdings> awaitingKeys;
    private final KeptBytes kept;
    private final StoreSweep<Long> parkedSweep;
    private final StoreSweep<WaitingIntent> waitingSweep;
    private final StoreSweep<TokenBucket> bucketSweep;

    private AgentPartition(ProcessingContext context, Duration dedupeRetention) {
        this.dedupeRetention = dedupeRetention;
        intentIds = context.getStateStore(GateStores.INTENT_IDS);
        buckets = context.getStateStore(GateStores.RATE_BUCKETS);
        budgets = GateStores.BUDGETS.open(context);
        openEscalations = OpenEscalations.open(context);
        executedCases = ExecutedCases.open(context);
        holdings = context.getStateStore(GateStores.INTENT_HOLDINGS);
        waiting = context.getStateStore(GateStores.WAITING_INTENTS);
        waitingPerAgent = context.getStateStore(GateStores.WAITING_PER_AGENT);
        awaitingClaims = context.getStateStore(GateStores.AWAITING_CLAIMS);
        awaitingSince = context.getStateStore(GateStores.AWAITING_CLAIMS_SINCE);
        awaitingKeys = context.getStateStore(GateStores.AWAITING_CLAIMS_KEYS);
        kept = new KeptBytes(context.getStateStore(GateStores.KEPT_BYTES_PER_AGENT), this::keptInStores);
        parkedSweep = new StoreSweep<>(awaitingSince);
        waitingSweep = new StoreSweep<>(waiting);
        bucketSweep = new StoreSweep<>(buckets);
    }

    /**
     * The partition's state for a processor connected to {@link #STORES}.
     *
     * @param dedupeRetention how long an intent id counts as seen, either side of its time
     */
    public static AgentPartition open(ProcessingContext context, Duration dedupeRetention) {
        return new AgentPartition(context, dedupeRetention);
    }

    /** Whether an intent with this id was decided (or began to wait) within the dedupe retention of {@code at}. */
    public boolean alreadySeen(String intentId, Instant at) {
        long now = at.toEpochMilli();
        // Out-of-order records within the retention still count, so look both ways in time.
        try (WindowStoreIterator<Long> seen = intentIds.fetch(intentId, now - dedupeRetention.toMillis(), now + dedupeRetention.toMillis())) {
            return seen.hasNext();
        }
    }

    /**
     * Whether the partition still keeps the intent's case: its open escalation or its executed case,
     * beside which alone it keeps holdings in the resource ledger, or the intent waiting for its
     * dependencies. Each can outlive the dedupe retention (a case is kept for the case retention, a
     * waiting intent up to its dependency timeout), and an id used again meanwhile would take the old
     * intent's place in it and in the ledger, or be executed beside the waiting one once it wakes.
     */
    public boolean keeps(String intentId) {
        return openEscalations.get(intentId) != null || executedCases.get(intentId) != null || waiting.get(intentId) != null;
    }

    public void see(String intentId, Instant at) {
        intentIds.put(intentId, at.toEpochMilli(), at.toEpochMilli());
    }

    public TokenBucket bucket(String agentId) {
        return buckets.get(agentId);
    }

    public void putBucket(String agentId, TokenBucket bucket) {
        buckets.put(agentId, bucket);
    }

    /**
     * Forgets up to {@code max} rate buckets of agents whose rate {@code limited} says the policy in force does not limit,
     * going on from where the last pass stopped; whether more may be left. An agent the policy stops naming would otherwise
     * keep its bucket for good, in a store restored whole at every start; named again, it starts with a full one.
     */
    public boolean forgetBuckets(Predicate<String> limited, int max) {
        Picked<TokenBucket> unlimited = bucketSweep.next((agentId, bucket) -> !limited.test(agentId), max);
        unlimited.entries().forEach(entry -> buckets.delete(entry.key));
        return unlimited.stoppedShort();
    }

    /** The next {@link #forgetBuckets} pass starts a round from the first bucket, under a policy the last one did not see. */
    public void restartBucketRound() {
        bucketSweep.restart();
    }

    /** The agent's budget ledger, to reserve against; its changes are written by its {@code commit()}. */
    public BudgetLedger budget(String agentId) {
        return new BudgetLedger(agentId, budgets);
    }

    /** The agent's budget windows at {@code at} under the policy in force, as a case file shows them. */
    public List<WindowUsage> usage(String agentId, Instant at, Policy inForce) {
        List<BudgetLimit> limits = inForce.agent(agentId).map(AgentProfile::budgets).orElse(List.of());
        return BudgetLedger.usage(budgets, agentId, at, limits, inForce.defaults().zone());
    }

    /**
     * Lets go of everything the intent holds here: its reservation and its holdings.
     *
     * @return the resource-ledger entries it held, which the ledger must be told to release
     */
    public List<String> release(String agentId, String intentId) {
        BudgetLedger ledger = budget(agentId);
        ledger.release(intentId);
        ledger.commit();
        Holdings held = holdings.get(intentId);
        if (held == null) {
            return List.of();
        }
        holdings.delete(intentId);
        return held.getKeys();
    }

    /**
     * Settles an executed intent's reservation by its outcome: the actual cost when reported, else the
     * estimate when COMPLETED, else nothing (released). A completed intent keeps its holdings (a later
     * COMPENSATED may release them); any other outcome drops them.
     *
     * @return how the reservation was settled, and the ledger entries to tell the outcome
     */
    public Settled settle(String agentId, String intentId, OutcomeStatus status, Long actualCostMicros) {
        BudgetLedger ledger = budget(agentId);
        Settlement settlement;
        if (actualCostMicros != null) {
            settlement = ledger.reconcile(intentId, actualCostMicros);
        } else if (status == OutcomeStatus.COMPLETED) {
            settlement = ledger.commitEstimate(intentId);
        } else {
            settlement = ledger.release(intentId);
        }
        ledger.commit();
        Holdings held = holdings.get(intentId);
        if (held != null && status != OutcomeStatus.COMPLETED) {
            holdings.delete(intentId);
        }
        return new Settled(settlement, held == null ? List.of() : held.getKeys());
    }

    /** The intent now also holds these resource-ledger entries. */
    public void hold(String intentId, List<String> keys) {
        Holdings held = holdings.get(intentId);
        List<String> all = new ArrayList<>(held == null ? List.of() : held.getKeys());
        all.addAll(keys);
        holdings.put(intentId, new Holdings(all.stream().distinct().toList()));
    }

    /**
     * Files a decided intent's case where the rest of its story will find it: an escalation among the
     * open ones, an executed intent among the executed cases, with what it holds in the ledger. A
     * rejected intent leaves nothing behind.
     */
    public void file(String caseId, DecisionOutcome outcome, CaseFileValue caseFile, List<String> held) {
        if (outcome == DecisionOutcome.ESCALATE) {
            putEscalation(caseId, caseFile);
        } else if (outcome == DecisionOutcome.EXECUTE) {
            executedCases.put(caseId, caseFile);
        }
        if (!held.isEmpty() && outcome != DecisionOutcome.REJECT) {
            holdings.put(caseId, new Holdings(List.copyOf(held)));
        }
    }

    /** The intent's case while a person or an executor may still act on it: its open escalation, else its executed case, or null. */
    public AuditRecord openCase(String intentId) {
        AuditRecord open = openEscalations.get(intentId);
        return open != null ? open : executedCases.get(intentId);
    }

    public AuditRecord escalation(String intentId) {
        return openEscalations.get(intentId);
    }

    public AuditRecord executed(String intentId) {
        return executedCases.get(intentId);
    }

    /**
     * Writes a changed case back to the store it is in (an open escalation, or an executed case); the value the store encodes
     * is the one to publish, so that the audit sink takes its bytes.
     */
    public void update(String intentId, CaseFileValue caseFile, boolean escalated) {
        if (escalated) {
            putEscalation(intentId, caseFile);
        } else {
            executedCases.put(intentId, caseFile);
        }
    }

    /** The escalation was answered or closed: it is open no more, and when approved its intent is executed. */
    public void closeEscalation(String intentId, CaseFileValue executed) {
        // Filed as executed before it is open no more: a query reads open escalations, then executed cases, while this thread
        // writes, and must find an approved case in one of them, not answer that it has gone from the stores.
        if (executed != null) {
            executedCases.put(intentId, executed);
        }
        CaseFileValue closed = openEscalations.entry(intentId);
        if (closed != null) {
            kept.change(closed.caseFile().getAgentId(), closed.bytes(), 0);
            openEscalations.delete(intentId);
        }
    }

    private void putEscalation(String intentId, CaseFileValue caseFile) {
        // Counted before the put, which encodes the case file (its size, once, and what the audit sink sends if it is filed
        // and published as one value): a count run after it would find it already.
        kept.counted();
        CaseFileValue before = openEscalations.entry(intentId);
        openEscalations.put(intentId, caseFile);
        kept.change(caseFile.caseFile().getAgentId(), before == null ? 0 : before.bytes(), caseFile.bytes());
    }

    /** The executed case is over (failed, compensated, or forgotten after the case retention). */
    public void closeExecuted(String intentId) {
        executedCases.delete(intentId);
    }

    /**
     * Up to {@code max} open escalations {@code wanted} picks, going on from where the last call stopped, read into a
     * list first so each can be closed while reading none. Reads them all, round after round: for what their deadlines
     * cannot tell, see {@link #escalationsDue}.
     */
    public Picked<AuditRecord> escalations(Predicate<AuditRecord> wanted, int max) {
        return openEscalations.sweep(wanted, max);
    }

    /** The next call of {@link #escalations} reads from the first open escalation, wherever the last one stopped. */
    public void readEscalationsFromTheStart() {
        openEscalations.restartSweep();
    }

    /** Up to {@code max} open escalations whose deadline is at or before {@code now}, reading only those. */
    public Picked<AuditRecord> escalationsDue(Instant now, int max) {
        return openEscalations.due(now, max);
    }

    /** Files up to {@code max} more executed cases the index by last change lacks (see {@link ExecutedCases#fileUnindexed}). */
    public void fileUnindexedExecuted(int max) {
        executedCases.fileUnindexed(max);
    }

    /** Up to {@code max} executed cases unchanged since {@code changedBy}. */
    public Picked<AuditRecord> executedUnchangedSince(Instant changedBy, int max) {
        return executedCases.unchangedSince(changedBy, max);
    }

    /**
     * Forgets an executed case after the case retention. One never reported is taken to have spent its
     * estimate, and what it holds in the ledger is returned for the ledger to settle the same way; a
     * completed one's holds are real commitments that stay in the ledger until their windows end.
     */
    public List<String> forgetExecuted(String agentId, String intentId, boolean completed) {
        List<String> release = List.of();
        if (!completed) {
            BudgetLedger ledger = budget(agentId);
            ledger.commitEstimate(intentId);
            ledger.commit();
            Holdings held = holdings.get(intentId);
            release = held == null ? List.of() : held.getKeys();
        }
        executedCases.delete(intentId);
        holdings.delete(intentId);
        return release;
    }

    /**
     * Parks an intent decided up to its claims while the resource ledger answers them.
     *
     * @param sinceMillis wall-clock time: the claims timeout counts from it, not from the record's timestamp
     * @param sentTo      the ledger entries its claims were sent to
     */
    public void park(String intentId, AuditRecord decidedSoFar, long sinceMillis, List<String> sentTo) {
        // Not asked what it replaces: an intent is parked once, when first decided (a retry is a duplicate). Were one parked
        // twice, the total would count it twice, refusing sooner, until the next start counts again.
        // Counted before the put, which encodes the case file (its size, once): a count run after it would find it already.
        kept.counted();
        CaseFileValue parked = CaseFileValue.of(decidedSoFar);
        awaitingClaims.put(intentId, parked);
        kept.change(decidedSoFar.getAgentId(), 0, parked.bytes());
        awaitingSince.put(intentId, sinceMillis);
        awaitingKeys.put(intentId, new Holdings(List.copyOf(sentTo)));
    }

    /**
     * The ledger entries the parked intent's claims were sent to; empty for one parked by a version that did not keep them,
     * or not parked.
     */
    public List<String> claimsSentTo(String intentId) {
        Holdings sent = awaitingKeys.get(intentId);
        return sent == null ? List.of() : sent.getKeys();
    }

    /** The intent parked under {@code intentId}, left parked; null when none is. */
    public AuditRecord parked(String intentId) {
        CaseFileValue parked = awaitingClaims.get(intentId);
        return parked == null ? null : parked.caseFile();
    }

    /** When, by the wall clock, the intent was parked; null when it is not. */
    public Long parkedSince(String intentId) {
        return awaitingSince.get(intentId);
    }

    /** Takes the parked intent out to finish its decision; null when it is not parked (it gave up waiting). */
    public AuditRecord unpark(String intentId) {
        CaseFileValue parked = awaitingClaims.get(intentId);
        awaitingSince.delete(intentId);
        awaitingKeys.delete(intentId);
        if (parked == null) {
            return null;
        }
        kept.change(parked.caseFile().getAgentId(), parked.bytes(), 0);
        awaitingClaims.delete(intentId);
        return parked.caseFile();
    }

    /**
     * Gives every parked intent without a time in {@code awaiting-claims-since} (parked by a version before it, or by one
     * that held this partition during a rolling upgrade) {@code sinceMillis}, so the claims timeout finds it; how many.
     */
    public int fileParkedWithoutSince(long sinceMillis) {
        int filed = 0;
        try (KeyValueIterator<String, CaseFileValue> all = awaitingClaims.all()) {
            while (all.hasNext()) {
                String intentId = all.next().key;
                if (awaitingSince.get(intentId) == null) {
                    awaitingSince.put(intentId, sinceMillis);
                    filed++;
                }
            }
        }
        return filed;
    }

    /**
     * Up to {@code max} intents parked at or before {@code parkedBy} (wall-clock), with when they were parked, going on
     * from where the last call stopped.
     */
    public Picked<Long> parkedBy(Instant parkedBy, int max) {
        return parkedSweep.next((intentId, since) -> !Instant.ofEpochMilli(since).isAfter(parkedBy), max);
    }

    /** An intent begins (or goes on) waiting for its dependencies. */
    public void await(String intentId, WaitingIntent waits) {
        WaitingIntent before = waiting.get(intentId);
        String agentId = waits.getCaseFile().getAgentId();
        if (before == null) {
            count(agentId, 1);
        }
        kept.change(agentId, before == null ? 0 : KeptBytes.bytes(before), KeptBytes.bytes(waits));
        waiting.put(intentId, waits);
    }

    /** How many of the agent's intents wait for their dependencies. */
    public long waitingOf(String agentId) {
        Long count = waitingPerAgent.get(agentId);
        return count == null ? 0 : count;
    }

    public WaitingIntent waiting(String intentId) {
        return waiting.get(intentId);
    }

    /** Wakes a waiting intent: it waits no more, whether to be decided now or rejected. */
    public void wake(String intentId) {
        WaitingIntent woken = waiting.get(intentId);
        if (woken != null) {
            count(woken.getCaseFile().getAgentId(), -1);
            // Before the delete, as every other change: were this the first since the task started, the count it runs would
            // otherwise miss the entry it then takes away.
            kept.change(woken.getCaseFile().getAgentId(), KeptBytes.bytes(woken), 0);
            waiting.delete(intentId);
        }
    }

    private void count(String agentId, long change) {
        // Intents a version before this count waited uncounted: one woken then finds nothing to take from, and no count
        // goes below zero.
        long count = Math.max(0, waitingOf(agentId) + change);
        if (count == 0) {
            waitingPerAgent.delete(agentId);
        } else {
            waitingPerAgent.put(agentId, count);
        }
    }

    /**
     * How many bytes the partition keeps in memory for the agent: its open escalations, waiting intents and intents whose
     * claims are out.
     */
    public long keptBytesOf(String agentId) {
        return kept.of(agentId);
    }

    /**
     * Counts what is kept for each agent if it was not since the task started (a housekeeping run): the totals are read
     * from outside too, by the metrics, which cannot count them.
     */
    public void countKept() {
        kept.counted();
    }

    /** How many bytes the intent takes in {@code waiting-intents}: 0 when it does not wait. */
    public long waitingBytes(String intentId) {
        WaitingIntent waits = waiting.get(intentId);
        return waits == null ? 0 : KeptBytes.bytes(waits);
    }

    private Map<String, Long> keptInStores() {
        Map<String, Long> bytes = new HashMap<>();
        openEscalations.forEach(open -> bytes.merge(open.caseFile().getAgentId(), (long) open.bytes(), Long::sum));
        try (KeyValueIterator<String, CaseFileValue> all = awaitingClaims.all()) {
            all.forEachRemaining(parked -> bytes.merge(parked.value.caseFile().getAgentId(), (long) parked.value.bytes(), Long::sum));
        }
        try (KeyValueIterator<String, WaitingIntent> all = waiting.all()) {
            all.forEachRemaining(waits -> bytes.merge(waits.value.getCaseFile().getAgentId(), (long) KeptBytes.bytes(waits.value), Long::sum));
        }
        return bytes;
    }

    /** Up to {@code max} waiting intents {@code overdue} picks, going on from where the last call stopped. */
    public Picked<WaitingIntent> waitingIntents(Predicate<WaitingIntent> overdue, int max) {
        return waitingSweep.next((intentId, waits) -> overdue.test(waits), max);
    }

    /** Forgets up to {@code max} budget windows that are over and hold nothing; whether more may be due. */
    public boolean sweepBudgets(Instant now, int max, EntryGuard guard) {
        return budgets.sweep(now, max, guard).stoppedShort();
    }

    /** How an outcome settled a reservation, and the ledger entries the intent held. */
    public record Settled(Settlement settlement, List<String> heldKeys) {
    }
}
