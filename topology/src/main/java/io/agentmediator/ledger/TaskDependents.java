package io.agentmediator.ledger;

import io.agentmediator.schema.internal.Waiter;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The intents a task's completion woke, kept as long as the task: an executor may report the task FAILED or COMPENSATED
 * after it COMPLETED, undoing what they were woken for, and then each is told, so that one still waiting for its other
 * dependencies, or escalated and not yet answered, cannot go ahead on a dependency that is no longer there. Kept without
 * an index: they go with their task.
 */
final class TaskDependents {

    private final TaskIntents dependents;

    TaskDependents(KeyValueStore<String, Long> dependents) {
        this.dependents = new TaskIntents(dependents);
    }

    /** The task's completion told the intent, at {@code told.since}. */
    void add(String taskId, Waiter told) {
        dependents.put(taskId, told);
    }

    /** The intents the task's completion told, each forgotten: the task did not stay completed, and they are told so. */
    List<Waiter> takeAll(String taskId) {
        return dependents.takeAll(taskId);
    }

    /** The task is forgotten, and with it what its completion told. */
    void forget(String taskId) {
        dependents.takeAll(taskId);
    }
}
