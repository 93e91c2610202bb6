package io.agentmediator.ledger;

import io.agentmediator.catchup.PacedCheck;
import io.agentmediator.catchup.ReadHorizon;
import io.agentmediator.guard.EntryGuard;
import io.agentmediator.budget.Admission;
import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.StoreBudgetBook;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.internal.Hold;
import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.schema.internal.LedgerRequestKind;
import io.agentmediator.schema.internal.LedgerStep;
import io.agentmediator.schema.internal.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The resource ledger: every request about one resource, pool or task meets every other request
 * about it here, in the one partition its key maps to.
 *
 * <p>Reads {@link LedgerRequest}s keyed by {@link LedgerKey}. A CLAIM walks the intent's steps one
 * ledger entry at a time (pool first, then each resource) through {@code requestsChild}, taking each
 * as it goes; the first conflict or exceeded pool stops it, releases what it took of the resources
 * (all or nothing) and answers the agent through {@code repliesChild}, keyed by agent id, as does
 * the last step when all were taken. FORCE takes a hold whatever the capacity; RELEASE and OUTCOME
 * settle what an intent holds, and only its own agent's: intent ids are deduplicated only in each
 * agent's partition, so a pool claim under an id that already holds a reservation there is refused,
 * never granted uncharged. An OUTCOME for a task answers every intent waiting for it, AWAIT
 * registers one more (answered at once when the task already finished), and STOP_WAITING forgets one
 * that was decided before the task finished. A FAILED or COMPENSATED after the task COMPLETED answers
 * every intent its completion answered as well, a bounded number with the outcome and the rest in the
 * housekeeping passes: one escalated meanwhile must not be approved.
 *
 * <p>Every {@code sweepInterval} of wall-clock time holds past their window or expiry are dropped,
 * pool windows pruned, and tasks nobody waits for forgotten {@code taskRetention} after they
 * finished, and waiters past the dependency timeout, in bounded passes that follow each other
 * closely while more is due: the stores stay bounded, and no pass holds the stream thread long.
 */
public final class ResourceLedger implements Processor<String, LedgerRequest, String, Object> {

    /**
     * Entries of each kind (holds, pool windows, finished tasks, given-up waiters) a housekeeping pass looks at, at most.
     * A pass that stops at that bound is followed 100 ms later ({@link PacedCheck}), so a backlog goes at up to 2,000 of
     * each a second per partition. Why not more a pass: a sweep runs on the stream thread, a dropped hold or forgotten
     * task costs about 29 µs there, and the holds of one booked slot all end together: one sweep of 10,000 held every
     * intent behind it for 264-442 ms, and 10,000 tasks past their retention for 276-314 ms (HousekeepingBurstBenchmark,
     * docs/BENCHMARKS.md, session 30). Why not fewer: every claim leaves a hold and every
     * reported execution a task, and the passes must keep pace with them (at 1,000 a sweep every 10 s, a partition whose
     * holds ended faster than a hundred a second fell further behind at every sweep, and resource-hold-entries grew).
     */
    public static final int SWEPT_PER_PASS = 200;
    /** Tasks read per sweep by the pass that files those an older version left out of the index (reads only, no writes but those). */
    static final int INDEX_PASS_BATCH = 10_000;

    private final CurrentPolicy policy;
    private final Duration sweepInterval;
    private final Duration taskRetention;
    private final String requestsChild;
    private final String repliesChild;
    private final ReadHorizon horizon;
    private ProcessorContext<String, Object> context;
    private ResourceHoldStore resources;
    private StoreBudgetBook pools;
    private TaskStore tasks;
    private PacedCheck sweepCheck;
    private EntryGuard guard;

    public ResourceLedger(CurrentPolicy policy, Duration sweepInterval, Duration taskRetention, String requestsChild, String repliesChild,
            ReadHorizon horizon) {
        this.horizon = horizon;
        this.policy = policy;
        this.sweepInterval = sweepInterval;
        this.taskRetention = taskRetention;
        this.requestsChild = requestsChild;
        this.repliesChild = repliesChild;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        guard = EntryGuard.of(context);
        resources = new ResourceHoldStore(context.getStateStore(LedgerStores.RESOURCE_HOLDS),
                context.getStateStore(LedgerStores.RESOURCE_PRUNE_INDEX), context.getStateStore(LedgerStores.LEGACY_RESOURCE_HOLDS));
        pools = LedgerStores.POOLS.open(context);
        tasks = new TaskStore(context.getStateStore(LedgerStores.TASK_STATES), context.getStateStore(LedgerStores.TASK_INDEX),
                new TaskWaiters(context.getStateStore(LedgerStores.TASK_WAITERS), context.getStateStore(LedgerStores.TASK_WAITER_INDEX)),
                new TaskDependents(context.getStateStore(LedgerStores.TASK_DEPENDENTS)), taskRetention);
        // Tasks too: each pass forgets a bounded batch of them, so how often passes run is how many a partition can forget.
        // Hourly, that was a thousand an hour, fewer than one outcome every three seconds leaves.
        sweepCheck = PacedCheck.schedule(context, sweepInterval, SWEPT_PER_PASS, (now, max) -> sweep(now, horizon.at(now), max));
        // Tasks an older version wrote are not in the index yet: filed a batch a sweep, reads but for what they file.
        context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME,
                now -> tasks.fileUnindexed(INDEX_PASS_BATCH, policy.get().defaults().dependencyTimeout()));
    }

    @Override
    public void process(Record<String, LedgerRequest> record) {
        LedgerKey key = LedgerKey.parse(record.key());
        LedgerRequest request = record.value();
        switch (request.getKind()) {
            case CLAIM -> claim(key, request, record);
            case FORCE -> force(key, request);
            case RELEASE -> release(key, request.getIntentId(), request.getAgentId(), request.getClaimAt());
            case OUTCOME -> outcome(key, request, record);
            case AWAIT -> await(key, request, record);
            case STOP_WAITING -> stopWaiting(key, request);
            case CHECK_AFTER_CONFLICT -> checkAfterConflict(key, request, record);
        }
    }

    private void claim(LedgerKey key, LedgerRequest request, Record<String, LedgerRequest> record) {
        LedgerStep step = request.getSteps().get(request.getStep());
        if (!step.getKey().equals(key.toString())) {
            throw new IllegalStateException("claim step " + request.getStep() + " of intent " + request.getIntentId()
                    + " is for " + step.getKey() + " but arrived keyed " + key);
        }
        Policy inForce = policy.get();
        if (key.kind() == LedgerKey.Kind.POOL) {
            BudgetLedger ledger = pool(key.id(), request.getAgentId());
            List<BudgetLimit> limits = inForce.pools().containsKey(key.id()) ? inForce.pools().get(key.id()).budgets() : List.of();
            Admission admission = ledger.tryReserve(request.getIntentId(), step.getCostMicros(), request.getAt(), limits,
                    inForce.defaults().zone());
            if (admission instanceof Admission.Exceeded exceeded) {
                refuse(request, record, LedgerReplyKind.POOL_EXCEEDED, null, "pool " + key.id() + ": " + exceeded.message());
                return;
            }
            if (admission instanceof Admission.AlreadyReserved taken) {
                refuse(request, record, LedgerReplyKind.POOL_EXCEEDED, ReasonCode.DUPLICATE, "pool " + key.id() + ": " + taken.message());
                return;
            }
            ledger.commit();
        } else if (key.kind() == LedgerKey.Kind.RESOURCE) {
            ResourceBook book = resources.book(key.id());
            long earlier = book.heldUnder(request.getIntentId(), request.getAgentId()) - takenBefore(request, key);
            if (earlier > 0) {
                // An earlier intent of the agent under this id still holds the resource, its id forgotten by the agent's
                // partition (a completed booking outlives its case): one record here, this intent's release or failure would
                // let go of that booking too. Refused as the pool refuses an id it holds a charge under.
                refuse(request, record, LedgerReplyKind.POOL_EXCEEDED, ReasonCode.DUPLICATE, heldEarlier(key, request, earlier));
                return;
            }
            Instant from = step.getFrom() != null ? step.getFrom() : request.getAt();
            long capacity = inForce.capacityOf(key.id());
            if (book.wouldExceed(from, step.getUntil(), step.getQuantity(), capacity)) {
                String message = ConflictReport.message(request.getIntentId(), request.getAgentId(), key.id(), capacity, step.getQuantity(),
                        from, step.getUntil(), book.peak(from, step.getUntil()), book.overlapping(from, step.getUntil()));
                conflicted(request, record, message);
                return;
            }
            resources.hold(key.id(), new Hold(request.getIntentId(), request.getAgentId(), step.getQuantity(), from, step.getUntil(),
                    null, false, request.getAt()));
        } else {
            throw new IllegalStateException("an intent cannot claim " + key);
        }
        int next = request.getStep() + 1;
        if (next < request.getSteps().size()) {
            LedgerRequest onward = LedgerRequest.newBuilder(request).setStep(next).build();
            context.forward(record.withKey(request.getSteps().get(next).getKey()).withValue(onward), requestsChild);
        } else {
            reply(record, LedgerReply.newBuilder().setKind(LedgerReplyKind.GRANTED).setIntentId(request.getIntentId())
                    .setAgentId(request.getAgentId()).setGranted(keys(request.getSteps())).build());
        }
    }

    /**
     * Stops a claim at this step: releases the resources taken before it and answers the agent. A pool
     * charge taken before a conflict stays, like the agent's own reservation, while the intent is escalated.
     * {@code code}, when not null, is the reason the gate rejects with instead of the kind's own.
     */
    private void refuse(LedgerRequest request, Record<String, LedgerRequest> record, LedgerReplyKind kind, ReasonCode code,
                        String message) {
        List<String> kept = releaseTaken(request, record, request.getStep(), kind == LedgerReplyKind.CONFLICT);
        reply(record, LedgerReply.newBuilder().setKind(kind).setIntentId(request.getIntentId()).setAgentId(request.getAgentId())
                .setMessage(message).setGranted(kept).setCode(code).build());
    }

    /** Releases what the claim took before step {@code upTo}, but for its pool charges if {@code keepPools}; returns those kept. */
    private List<String> releaseTaken(LedgerRequest request, Record<String, LedgerRequest> record, int upTo, boolean keepPools) {
        List<String> kept = new ArrayList<>();
        for (LedgerStep step : request.getSteps().subList(0, upTo)) {
            boolean pool = LedgerKey.parse(step.getKey()).kind() == LedgerKey.Kind.POOL;
            if (pool && keepPools) {
                kept.add(step.getKey());
            } else {
                sendRelease(record, request, step.getKey());
            }
        }
        return kept;
    }

    /** Asks the ledger entry {@code key} to drop what the claim's intent holds there. */
    private void sendRelease(Record<String, LedgerRequest> record, LedgerRequest request, String key) {
        context.forward(record.withKey(key).withValue(LedgerRequests.release(request.getIntentId(), request.getAgentId(), request.getAt())),
                requestsChild);
    }

    /**
     * A claim that conflicts here is escalated, and approved it takes every claim regardless of capacity (FORCE), where no
     * check of its id is made. So its later resources are visited first, taking nothing, for an earlier intent of the agent
     * holding one under the same id ({@link #checkAfterConflict}); with none left to visit the conflict is answered at once.
     */
    private void conflicted(LedgerRequest request, Record<String, LedgerRequest> record, String message) {
        int next = nextResourceStep(request, request.getStep() + 1);
        if (next < 0) {
            refuse(request, record, LedgerReplyKind.CONFLICT, null, message);
            return;
        }
        releaseTaken(request, record, request.getStep(), true);
        LedgerRequest check = LedgerRequest.newBuilder(request).setKind(LedgerRequestKind.CHECK_AFTER_CONFLICT).setConflict(message)
                .setConflictStep(request.getStep()).setStep(next).build();
        context.forward(record.withKey(request.getSteps().get(next).getKey()).withValue(check), requestsChild);
    }

    /**
     * One of the later resources of a claim that met a conflict: held here under its id by an earlier intent of the agent,
     * the claim is refused DUPLICATE (its kept pool charges released), as it would have been had it got here; otherwise on
     * to the next, and after the last the conflict is answered. The releases of what the claim took were sent before this
     * request, and one for this resource came to this partition first: what is held here under the id is an earlier intent's.
     */
    private void checkAfterConflict(LedgerKey key, LedgerRequest request, Record<String, LedgerRequest> record) {
        if (key.kind() != LedgerKey.Kind.RESOURCE || request.getConflictStep() == null) {
            throw new IllegalStateException("a check after a conflict is for a resource, with the step that conflicted: " + key);
        }
        // Only the pool charges are the claim's still: its resources were released at the conflict, and a release sent again
        // would let go of the earlier intent's holds under the same id.
        List<String> pools = request.getSteps().subList(0, request.getConflictStep()).stream().map(LedgerStep::getKey)
                .filter(step -> LedgerKey.parse(step).kind() == LedgerKey.Kind.POOL).toList();
        long earlier = resources.book(key.id()).heldUnder(request.getIntentId(), request.getAgentId());
        if (earlier > 0) {
            pools.forEach(pool -> sendRelease(record, request, pool));
            reply(record, LedgerReply.newBuilder().setKind(LedgerReplyKind.POOL_EXCEEDED).setIntentId(request.getIntentId())
                    .setAgentId(request.getAgentId()).setMessage(heldEarlier(key, request, earlier)).setGranted(List.of())
                    .setCode(ReasonCode.DUPLICATE).build());
            return;
        }
        int next = nextResourceStep(request, request.getStep() + 1);
        if (next >= 0) {
            context.forward(record.withKey(request.getSteps().get(next).getKey())
                    .withValue(LedgerRequest.newBuilder(request).setStep(next).build()), requestsChild);
            return;
        }
        reply(record, LedgerReply.newBuilder().setKind(LedgerReplyKind.CONFLICT).setIntentId(request.getIntentId())
                .setAgentId(request.getAgentId()).setMessage(request.getConflict()).setGranted(pools).build());
    }

    private static int nextResourceStep(LedgerRequest request, int from) {
        for (int index = from; index < request.getSteps().size(); index++) {
            if (LedgerKey.parse(request.getSteps().get(index).getKey()).kind() == LedgerKey.Kind.RESOURCE) {
                return index;
            }
        }
        return -1;
    }

    private static String heldEarlier(LedgerKey key, LedgerRequest request, long earlier) {
        return "resource " + key.id() + " is still held by an earlier intent of agent " + request.getAgentId() + " under the id "
                + request.getIntentId() + " (" + earlier + (earlier == 1 ? " hold" : " holds")
                + "); an intent id must not be used again while what it holds is held";
    }

    private void force(LedgerKey key, LedgerRequest request) {
        if (key.kind() != LedgerKey.Kind.RESOURCE) {
            throw new IllegalStateException("only a resource can be taken regardless of capacity, not " + key);
        }
        LedgerStep step = request.getSteps().get(0);
        resources.hold(key.id(), new Hold(request.getIntentId(), request.getAgentId(), step.getQuantity(),
                step.getFrom() != null ? step.getFrom() : request.getAt(), step.getUntil(), null, false, request.getAt()));
    }

    /**
     * Only what the agent holds: another agent's intent may hold the same entry under the same id. With {@code claimAt}, only
     * the resource holds the claim sent then took: a pool charges an id once, and refuses it again while it is charged.
     */
    private void release(LedgerKey key, String intentId, String agentId, Instant claimAt) {
        switch (key.kind()) {
            case RESOURCE -> {
                resources.release(key.id(), intentId, agentId, claimAt);
            }
            case POOL -> {
                BudgetLedger ledger = pool(key.id(), agentId);
                ledger.release(intentId);
                ledger.commit();
            }
            case TASK -> throw new IllegalStateException("a task is not held, so it cannot be released: " + key);
        }
    }

    private void outcome(LedgerKey key, LedgerRequest request, Record<String, LedgerRequest> record) {
        OutcomeStatus status = request.getStatus();
        String intentId = request.getIntentId();
        switch (key.kind()) {
            case RESOURCE -> {
                // A completed booking keeps its holds until their window ends, as it would unreported: only an outcome that
                // undoes it changes them. COMPLETED still comes, for ledger partitions of an earlier version.
                if (status != OutcomeStatus.COMPLETED) {
                    release(key, intentId, request.getAgentId(), null);
                }
            }
            case POOL -> {
                // The same settlement the agent's own ledger makes, so pool and agent agree on what was spent.
                BudgetLedger ledger = pool(key.id(), request.getAgentId());
                if (request.getActualCostMicros() != null) {
                    ledger.reconcile(intentId, request.getActualCostMicros());
                } else if (status == OutcomeStatus.COMPLETED) {
                    ledger.commitEstimate(intentId);
                } else {
                    ledger.release(intentId);
                }
                ledger.commit();
            }
            case TASK -> {
                TaskStore.Finished finished = tasks.finish(key.id(), status, Instant.ofEpochMilli(record.timestamp()),
                        policy.get().defaults().dependencyTimeout(), SWEPT_PER_PASS);
                for (Waiter waiter : finished.told()) {
                    reply(record, dependencyReply(waiter.getIntentId(), waiter.getAgentId(), key.id(), status));
                }
                if (finished.moreDue()) {
                    // Each dependent not yet told may be woken by its other dependencies, or approved, meanwhile: the
                    // rest go in passes 100 ms apart from now, not at the next sweep.
                    sweepCheck.soon();
                }
            }
        }
    }

    private void await(LedgerKey key, LedgerRequest request, Record<String, LedgerRequest> record) {
        if (key.kind() != LedgerKey.Kind.TASK) {
            throw new IllegalStateException("an intent can only wait for a task, not " + key);
        }
        Duration waitLimit = policy.get().defaults().dependencyTimeout();
        OutcomeStatus finished = tasks.await(key.id(), new Waiter(request.getIntentId(), request.getAgentId(), request.getAt()), waitLimit);
        if (finished != null) {
            reply(record, dependencyReply(request.getIntentId(), request.getAgentId(), key.id(), finished));
        }
    }

    private void stopWaiting(LedgerKey key, LedgerRequest request) {
        if (key.kind() != LedgerKey.Kind.TASK) {
            throw new IllegalStateException("an intent can only stop waiting for a task, not " + key);
        }
        tasks.stopWaiting(key.id(), request.getAgentId(), request.getIntentId(), policy.get().defaults().dependencyTimeout());
    }

    private static LedgerReply dependencyReply(String intentId, String agentId, String dependency, OutcomeStatus status) {
        return LedgerReply.newBuilder().setKind(LedgerReplyKind.DEPENDENCY).setIntentId(intentId).setAgentId(agentId)
                .setDependency(dependency).setDependencyStatus(status).build();
    }

    private void reply(Record<String, LedgerRequest> cause, LedgerReply reply) {
        context.forward(cause.withKey(reply.getAgentId()).withValue(reply), repliesChild);
    }

    /** One housekeeping pass, up to {@code max} of each kind; whether any kind stopped at that bound. */
    private boolean sweep(Instant now, Instant readTo, int max) {
        // Holds go by the wall clock, so that one whose window ended stops conflicting even with no traffic, but only as far
        // as what has been read: a claim for the window may still be unread after an outage.
        boolean more = resources.sweep(readTo, max, guard).stoppedShort();
        // A pool window goes only once the latest request is past it too: a replay of history (CreateTime) spends in
        // windows the wall clock has long left behind, and forgetting one only ever shrinks the state. And only once what
        // arrived in it has been read: a claim from an agent partition that lagged would find it empty.
        more |= pools.sweep(Instant.ofEpochMilli(Math.min(readTo.toEpochMilli(), context.currentStreamTimeMs())), max, guard).stoppedShort();
        // A waiter gives up by what has been read: the outcome that finishes its task may still be unread after an outage.
        // Dependents of a task undone after it completed that its outcome's record could not tell all at once are told here.
        more |= tasks.forget(readTo, policy.get().defaults().dependencyTimeout(), max, guard, (taskId, status, dependent) -> context.forward(
                new Record<String, Object>(dependent.getAgentId(), dependencyReply(dependent.getIntentId(), dependent.getAgentId(), taskId, status),
                        now.toEpochMilli()), repliesChild));
        return more;
    }

    private BudgetLedger pool(String poolId, String agentId) {
        return new BudgetLedger(poolId, pools, agentId);
    }

    /** How many holds this claim took on {@code key} at its earlier steps: an intent may claim one resource more than once. */
    private static long takenBefore(LedgerRequest request, LedgerKey key) {
        return request.getSteps().subList(0, request.getStep()).stream().filter(step -> step.getKey().equals(key.toString())).count();
    }

    private static List<String> keys(List<LedgerStep> steps) {
        return steps.stream().map(LedgerStep::getKey).toList();
    }
}
