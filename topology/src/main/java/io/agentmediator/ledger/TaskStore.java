package io.agentmediator.ledger;

import io.agentmediator.guard.EntryGuard;
import io.agentmediator.text.Printable;
import io.agentmediator.keys.IndexPass;
import io.agentmediator.keys.PruneIndex;
import io.agentmediator.schema.internal.TaskState;
import io.agentmediator.schema.internal.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How each executed intent finished and who waits for it, with an index by the time each task is
 * next due for housekeeping (its retention after it finished, or its first waiter's timeout), so that
 * housekeeping reads only what is due rather than every task of the retention period. An index entry
 * may be stale (the task changed since); it is checked against the task when its time comes, and the
 * task filed again if it is not yet done with.
 */
final class TaskStore {

    private final KeyValueStore<String, TaskState> tasks;
    private final PruneIndex byDue;
    private final Duration retention;
    /** Files the tasks an older version left out of the index (see {@link #fileUnindexed}). */
    private final IndexPass<TaskState> unindexed;

    TaskStore(KeyValueStore<String, TaskState> tasks, KeyValueStore<String, byte[]> byDue, Duration retention) {
        this.tasks = tasks;
        this.byDue = new PruneIndex(byDue);
        this.retention = retention;
        this.unindexed = new IndexPass<>(tasks, this.byDue);
    }

    TaskState get(String intentId) {
        return tasks.get(intentId);
    }

    /** Writes the task and files it for when it is next due, given how long waiters may wait. */
    void put(String intentId, TaskState task, Duration waitLimit) {
        tasks.put(intentId, task);
        dueAt(task, waitLimit).ifPresent(at -> byDue.file(intentId, at));
    }

    /**
     * Files, among the next {@code max} tasks, those the index lacks: tasks a version before the index wrote are in
     * the task store alone, and {@link #forget}, which reads only the index, would keep them, and their waiters, for
     * good. One pass through the store, a batch at a time, after each start or task move.
     */
    void fileUnindexed(int max, Duration waitLimit) {
        unindexed.fileSome(max, task -> dueAt(task, waitLimit));
    }

    /**
     * Forgets finished tasks nobody waits for once past the retention, and waiters past
     * {@code waitLimit}, among up to {@code max} tasks due at {@code now}.
     */
    void forget(Instant now, Duration waitLimit, int max, EntryGuard guard) {
        for (String intentId : byDue.takeDue(now, max)) {
            guard.attempt("the task " + Printable.escape(intentId), () -> forget(intentId, now, waitLimit));
        }
    }

    private void forget(String intentId, Instant now, Duration waitLimit) {
        TaskState task = tasks.get(intentId);
        if (task == null) {
            return;
        }
        List<Waiter> waiting = task.getWaiters().stream().filter(waiter -> now.isBefore(waiter.getSince().plus(waitLimit))).toList();
        boolean forgotten = task.getStatus() == null ? waiting.isEmpty()
                : waiting.isEmpty() && !now.isBefore(task.getReportedAt().plus(retention));
        if (forgotten) {
            tasks.delete(intentId);
        } else {
            put(intentId, TaskState.newBuilder(task).setWaiters(waiting).build(), waitLimit);
        }
    }

    private Optional<Instant> dueAt(TaskState task, Duration waitLimit) {
        Optional<Instant> firstTimeout = task.getWaiters().stream().map(waiter -> waiter.getSince().plus(waitLimit)).min(Instant::compareTo);
        Optional<Instant> end = task.getStatus() == null ? Optional.empty() : Optional.of(task.getReportedAt().plus(retention));
        return firstTimeout.isPresent() && (end.isEmpty() || firstTimeout.get().isBefore(end.get())) ? firstTimeout : end;
    }
}
