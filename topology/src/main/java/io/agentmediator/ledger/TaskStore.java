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
import java.util.function.Consumer;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How each executed intent finished, and who waits for it: a finished task is one small record, kept
 * for {@code retention} after its outcome and filed in an index by then, so housekeeping reads only what
 * is due; each waiter is a record of its own ({@link TaskWaiters}), so no value grows with the intents
 * waiting for one task; so is each intent its completion told ({@link TaskDependents}), kept with the task
 * in case it is undone. A task value written by a version that kept its waiters in it is converted the
 * first time the task is read, or when its index entry falls due.
 */
final class TaskStore {

    /** Tells a dependent of a task undone after it completed how the task ended. */
    interface Undone {
        void tell(String taskId, OutcomeStatus status, Waiter dependent);
    }

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
     * its dependents; a FAILED or COMPENSATED after it completed tells them too, since what they were woken for is undone:
     * up to {@code maxDependents} now, the rest in the housekeeping passes that follow ({@link #forget}), which are then due
     * at once.
     *
     * @return the intents to be told: those that waited for it, which wait no more, and its dependents when it no longer
     *     stands completed
     */
    Finished finish(String intentId, OutcomeStatus status, Instant reportedAt, Duration waitLimit, int maxDependents) {
        TaskState before = converted(intentId, waitLimit);
        tasks.put(intentId, new TaskState(status, reportedAt, List.of()));
        byDue.file(intentId, reportedAt.plus(retention));
        List<Waiter> told = new ArrayList<>(waiters.takeAll(intentId, waitLimit));
        if (status == OutcomeStatus.COMPLETED) {
            told.forEach(waiter -> dependents.add(intentId, new Waiter(waiter.getIntentId(), waiter.getAgentId(), reportedAt)));
        } else if (before != null && before.getStatus() == OutcomeStatus.COMPLETED) {
            List<Waiter> undone = dependents.take(intentId, maxDependents);
            told.addAll(undone);
            if (undone.size() >= maxDependents) {
                byDue.file(intentId, Instant.EPOCH);
                return new Finished(told, true);
            }
        }
        return new Finished(told, false);
    }

    /** The intents a task's outcome tells now, and whether more of its dependents are due to be told in passes that follow. */
    record Finished(List<Waiter> told, boolean moreDue) {}

    /**
     * Forgets finished tasks once past the retention, with their dependents, and waiters past {@code waitLimit}, among up to
     * {@code max} of each due at {@code now}; tells {@code undone} the dependents of tasks undone since they completed that
     * were not told yet. Dependents count toward one bound of {@code max} a pass too, whatever task they are of. Whether any
     * kind stopped at its bound.
     */
    boolean forget(Instant now, Duration waitLimit, int max, EntryGuard guard, Undone undone) {
        List<String> due = byDue.takeDue(now, max);
        int[] dependentsLeft = {max};
        for (String intentId : due) {
            guard.attempt("the task " + Printable.escape(intentId), () -> forget(intentId, now, waitLimit, dependentsLeft, undone));
        }
        boolean moreWaiters = waiters.forget(now, waitLimit, max, guard);
        return due.size() >= max || dependentsLeft[0] <= 0 || moreWaiters;
    }

    private void forget(String intentId, Instant now, Duration waitLimit, int[] dependentsLeft, Undone undone) {
        TaskState task = converted(intentId, waitLimit);
        if (task == null) {
            return;
        }
        if (task.getStatus() != OutcomeStatus.COMPLETED
                && !takeDependents(intentId, dependentsLeft, dependent -> undone.tell(intentId, task.getStatus(), dependent))) {
            return;
        }
        Instant end = task.getReportedAt().plus(retention);
        if (now.isBefore(end)) {
            byDue.file(intentId, end);
        } else if (takeDependents(intentId, dependentsLeft, dropped -> { })) {
            tasks.delete(intentId);
        }
    }

    /**
     * Hands {@code to} the task's dependents, as many as this pass has left; whether that was all of them. If not, the task
     * is filed again at the start of the index, to be taken first by the next pass, which follows this one closely: each
     * pass tells or drops up to its bound of dependents, so the passes get through them however many there are.
     */
    private boolean takeDependents(String intentId, int[] dependentsLeft, Consumer<Waiter> to) {
        List<Waiter> taken = dependents.take(intentId, Math.max(0, dependentsLeft[0]));
        taken.forEach(to);
        dependentsLeft[0] -= taken.size();
        if (dependentsLeft[0] > 0) {
            return true;
        }
        byDue.file(intentId, Instant.EPOCH);
        return false;
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
