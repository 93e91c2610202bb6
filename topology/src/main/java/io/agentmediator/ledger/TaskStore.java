package io.agentmediator.ledger;

import io.agentmediator.guard.EntryGuard;
import io.agentmediator.keys.IndexPass;
import io.agentmediator.keys.PruneIndex;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.internal.TaskState;
import io.agentmediator.schema.internal.Waiter;
import io.agentmediator.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How each executed intent finished, and who waits for it: a finished task is one small record, kept
 * for {@code retention} after its outcome and filed in an index by then, so housekeeping reads only what
 * is due; each waiter is a record of its own ({@link TaskWaiters}), so no value grows with the intents
 * waiting for one task. A task value written by a version that kept its waiters in it is converted the
 * first time the task is read, or when its index entry falls due.
 */
final class TaskStore {

    private final KeyValueStore<String, TaskState> tasks;
    private final PruneIndex byDue;
    private final TaskWaiters waiters;
    private final TaskDependents dependents;
    private final Duration retention;
    /** Files the tasks an older version left out of the index (see {@link #fileUnindexed}). */
    private final IndexPass<TaskState> unindexed;

    TaskStore(KeyValueStore<String, TaskState> tasks, KeyValueStore<String, byte[]> byDue, TaskWaiters waiters, TaskDependents dependents,
            Duration retention) {
        this.tasks = tasks;
        this.byDue = new PruneIndex(byDue);
        this.waiters = waiters;
        this.dependents = dependents;
        this.retention = retention;
        this.unindexed = new IndexPass<>(tasks, this.byDue);
    }

    /**
     * How the task finished, to be told to the waiter at once; null when it has not, and then the intent waits for it until
     * it finishes, or until {@code waitLimit} after {@code waiter.since}. A waiter told COMPLETED is one of its dependents.
     */
    OutcomeStatus await(String intentId, Waiter waiter, Duration waitLimit) {
        TaskState task = converted(intentId, waitLimit);
        if (task == null) {
            waiters.add(intentId, waiter, waitLimit);
            return null;
        }
        if (task.getStatus() == OutcomeStatus.COMPLETED) {
            dependents.add(intentId, waiter);
        }
        return task.getStatus();
    }

    /** The agent's intent waits for the task no more, wherever a version before kept its waiter. */
    void stopWaiting(String intentId, String agentId, String waitingIntentId, Duration waitLimit) {
        converted(intentId, waitLimit);
        waiters.remove(intentId, agentId, waitingIntentId, waitLimit);
    }

    /**
     * Files, among the next {@code max} tasks, those the index lacks: tasks a version before the index wrote are in
     * the task store alone, and {@link #forget}, which reads only the index, would keep them, and the waiters such a
     * version kept in them, for good. One pass through the store, a batch at a time, after each start or task move.
     */
    void fileUnindexed(int max, Duration waitLimit) {
        unindexed.fileSome(max, task -> dueAt(task, waitLimit));
    }

    /**
     * Records how the task finished, kept for the retention from {@code reportedAt}. Those a COMPLETED tells are kept as
     * its dependents; a FAILED or COMPENSATED after it completed tells them too, since what they were woken for is undone.
     *
     * @return the intents to be told: those that waited for it, which wait no more, and its dependents when it no longer
     *     stands completed
     */
    List<Waiter> finish(String intentId, OutcomeStatus status, Instant reportedAt, Duration waitLimit) {
        TaskState before = converted(intentId, waitLimit);
        tasks.put(intentId, new TaskState(status, reportedAt, List.of()));
        byDue.file(intentId, reportedAt.plus(retention));
        List<Waiter> told = new ArrayList<>(waiters.takeAll(intentId, waitLimit));
        if (status == OutcomeStatus.COMPLETED) {
            told.forEach(waiter -> dependents.add(intentId, new Waiter(waiter.getIntentId(), waiter.getAgentId(), reportedAt)));
        } else if (before != null && before.getStatus() == OutcomeStatus.COMPLETED) {
            told.addAll(dependents.takeAll(intentId));
        }
        return told;
    }

    /**
     * Forgets finished tasks once past the retention, and waiters past {@code waitLimit}, among up to
     * {@code max} of each due at {@code now}; whether either stopped at that bound.
     */
    boolean forget(Instant now, Duration waitLimit, int max, EntryGuard guard) {
        List<String> due = byDue.takeDue(now, max);
        for (String intentId : due) {
            guard.attempt("the task " + Printable.escape(intentId), () -> forget(intentId, now, waitLimit));
        }
        boolean moreWaiters = waiters.forget(now, waitLimit, max, guard);
        return due.size() >= max || moreWaiters;
    }

    private void forget(String intentId, Instant now, Duration waitLimit) {
        TaskState task = converted(intentId, waitLimit);
        if (task == null) {
            return;
        }
        Instant end = task.getReportedAt().plus(retention);
        if (now.isBefore(end)) {
            byDue.file(intentId, end);
        } else {
            tasks.delete(intentId);
            dependents.forget(intentId);
        }
    }

    /** When a task an older version wrote is due: its first waiter's timeout (the waiters are then converted), or its end. */
    private Optional<Instant> dueAt(TaskState task, Duration waitLimit) {
        Optional<Instant> firstTimeout = task.getWaiters().stream().map(waiter -> waiter.getSince().plus(waitLimit)).min(Instant::compareTo);
        Optional<Instant> end = task.getStatus() == null ? Optional.empty() : Optional.of(task.getReportedAt().plus(retention));
        return firstTimeout.isPresent() && (end.isEmpty() || firstTimeout.get().isBefore(end.get())) ? firstTimeout : end;
    }

    /**
     * The task as stored, its waiters moved to records of their own first if a version before kept them in
     * its value; null when it has not finished. Those waiters are filed for their timeout under {@code waitLimit}.
     */
    private TaskState converted(String intentId, Duration waitLimit) {
        TaskState task = tasks.get(intentId);
        if (task == null) {
            return null;
        }
        task.getWaiters().forEach(waiter -> waiters.add(intentId, waiter, waitLimit));
        if (task.getStatus() == null) {
            // Only a version before wrote a task that had not finished: it stood for its waiters, now records of their own.
            tasks.delete(intentId);
            return null;
        }
        if (task.getWaiters().isEmpty()) {
            return task;
        }
        TaskState finished = TaskState.newBuilder(task).setWaiters(List.of()).build();
        tasks.put(intentId, finished);
        return finished;
    }
}
