package io.agentmediator.ledger;

import io.agentmediator.guard.EntryGuard;
import io.agentmediator.keys.PruneIndex;
import io.agentmediator.schema.internal.Waiter;
import io.agentmediator.text.Printable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The intents waiting for tasks, one record per (task, agent, intent id) holding when it began to wait,
 * with an index by when its wait is over. A waiter leaving before that takes its entry with it, found by
 * the limit in force now: one filed under a limit changed since stays until its time, when housekeeping
 * finds no waiter and drops it. Any agent may make any number of intents wait for one task, and
 * waiting spends no token, so a task's waiters kept in one value grew with them until that value passed
 * Kafka's record limit and the changelog write stopped the ledger's partition. A finished task reads its
 * waiters with one prefix scan; housekeeping reads only the waiters whose wait is over.
 */
final class TaskWaiters {

    private final TaskIntents waiters;
    private final PruneIndex byTimeout;

    TaskWaiters(KeyValueStore<String, Long> waiters, KeyValueStore<String, byte[]> byTimeout) {
        this.waiters = new TaskIntents(waiters);
        this.byTimeout = new PruneIndex(byTimeout);
    }

    /** The intent waits for the task, from {@code waiter.since} until {@code waitLimit} later. */
    void add(String taskId, Waiter waiter, Duration waitLimit) {
        byTimeout.file(waiters.put(taskId, waiter), waiter.getSince().plus(waitLimit));
    }

    /**
     * The agent's intent waits for the task no more: it was decided before the task finished. Kept until its timeout,
     * every intent rejected at once for another dependency left its waiters on the rest for a whole dependencyTimeout,
     * as many as an agent could send in that time, since a rejected dependency takes no token.
     */
    void remove(String taskId, String agentId, String intentId, Duration waitLimit) {
        String key = TaskIntents.key(taskId, agentId, intentId);
        Instant since = waiters.since(key);
        if (since == null) {
            return;
        }
        waiters.delete(key);
        byTimeout.unfile(key, since.plus(waitLimit));
    }

    /**
     * Every intent waiting for the task, each waiting no more: the task finished, and they are told so. Their index
     * entries go too, or each told waiter's stayed until its timeout.
     */
    List<Waiter> takeAll(String taskId, Duration waitLimit) {
        List<Waiter> taken = waiters.takeAll(taskId);
        for (Waiter waiter : taken) {
            byTimeout.unfile(TaskIntents.key(taskId, waiter.getAgentId(), waiter.getIntentId()), waiter.getSince().plus(waitLimit));
        }
        return taken;
    }

    /**
     * Forgets the waiters whose wait of {@code waitLimit} is over at {@code now}, among up to {@code max} due; one
     * the policy now lets wait longer is filed again for then. Their intents give up on their own side. Whether it stopped
     * at that bound.
     */
    boolean forget(Instant now, Duration waitLimit, int max, EntryGuard guard) {
        List<String> due = byTimeout.takeDue(now, max);
        for (String key : due) {
            guard.attempt("the waiter " + Printable.escape(key), () -> {
                Instant since = waiters.since(key);
                if (since == null) {
                    return;
                }
                Instant over = since.plus(waitLimit);
                if (now.isBefore(over)) {
                    byTimeout.file(key, over);
                } else {
                    waiters.delete(key);
                }
            });
        }
        return due.size() >= max;
    }
}
