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

    /**
     * Up to {@code max} of the intents the task's completion told, each forgotten: to be told in turn that it did not stay
     * completed, or dropped with the task. A bound, since any number of intents may depend on one task.
     */
    List<Waiter> take(String taskId, int max) {
        return dependents.take(taskId, max);
    }
}
