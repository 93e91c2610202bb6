package io.agentmediator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.guard.EntryGuard;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.internal.TaskState;
import io.agentmediator.schema.internal.Waiter;
import io.agentmediator.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A housekeeping pass over finished tasks and waiters says it stopped at its bound only when it took as many of either
 * as the bound: the ledger's check follows up 100 ms later while it does, and would for ever if it always said so.
 */
class TaskStoreTest {

    private static final Instant T = Instant.parse("2026-11-23T09:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration WAIT_LIMIT = Duration.ofMinutes(30);

    private final Serde<TaskState> serde = new Topics("agent.", new InMemorySchemaRegistry("tasks-test")).storeSerde(LedgerStores.TASK_STATES, TaskState.class);
    /** Dependents of undone tasks are never due in these tests but where a test gives its own. */
    private static final TaskStore.Undone NOBODY = (taskId, status, dependent) -> {
        throw new AssertionError("told " + dependent.getIntentId() + " that " + taskId + " was " + status);
    };

    private final KeyValueStore<String, TaskState> taskStates = open("tasks", serde);
    private final KeyValueStore<String, Long> dependents = open("dependents", Serdes.Long());
    private final TaskStore tasks = new TaskStore(taskStates, open("task-index", Serdes.ByteArray()),
            new TaskWaiters(open("waiters", Serdes.Long()), open("waiter-index", Serdes.ByteArray())), new TaskDependents(dependents),
            RETENTION);

    @Test
    void shouldStopAtTheBoundForFinishedTasksUntilFewerThanABoundAreLeft() {
        // Given 25 tasks finished at the same moment
        for (int i = 0; i < 25; i++) {
            tasks.finish("task-" + i, OutcomeStatus.COMPLETED, T, WAIT_LIMIT, 10);
        }

        // When / Then: passes of 10 past the retention
        Instant past = T.plus(RETENTION);
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED, NOBODY)).isTrue();
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED, NOBODY)).isTrue();
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED, NOBODY)).isFalse();
        assertThat(tasks.await("task-24", new Waiter("later", "agent", past), WAIT_LIMIT)).as("forgotten: one more waits").isNull();
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED, NOBODY)).isFalse();
    }

    @Test
    void shouldStopAtTheBoundForWaitersPastTheirTimeoutUntilFewerThanABoundAreLeft() {
        // Given 15 intents waiting for a task that never finishes, since the same moment
        for (int i = 0; i < 15; i++) {
            tasks.await("never", new Waiter("waiting-" + i, "agent", T), WAIT_LIMIT);
        }

        // When / Then: passes of 10 past their timeout; the waiters are gone, so the task finishing tells nobody
        Instant over = T.plus(WAIT_LIMIT);
        assertThat(tasks.forget(over, WAIT_LIMIT, 10, EntryGuard.UNGUARDED, NOBODY)).isTrue();
        assertThat(tasks.forget(over, WAIT_LIMIT, 10, EntryGuard.UNGUARDED, NOBODY)).isFalse();
        assertThat(tasks.finish("never", OutcomeStatus.COMPLETED, over, WAIT_LIMIT, 10).told()).isEmpty();
    }

    @Test
    void shouldTellWhomItsCompletionWokeWhenATaskIsUndoneAndOnlyOnceAndOnlyWhileTheTaskIsKept() {
        // Given w-1 woken by task-1's completion, w-2 told at once it had completed, and task-2 failing outright
        tasks.await("task-1", new Waiter("w-1", "agent-a", T), WAIT_LIMIT);
        assertThat(tasks.finish("task-1", OutcomeStatus.COMPLETED, T, WAIT_LIMIT, 10).told()).extracting(Waiter::getIntentId).containsExactly("w-1");
        assertThat(tasks.await("task-1", new Waiter("w-2", "agent-b", T.plusSeconds(1)), WAIT_LIMIT)).isEqualTo(OutcomeStatus.COMPLETED);
        tasks.await("task-2", new Waiter("w-3", "agent-a", T), WAIT_LIMIT);
        assertThat(tasks.finish("task-2", OutcomeStatus.FAILED, T, WAIT_LIMIT, 10).told()).extracting(Waiter::getIntentId).containsExactly("w-3");

        // Then compensating task-1 tells both, once; task-2, which never completed, tells nobody again
        assertThat(tasks.finish("task-1", OutcomeStatus.COMPENSATED, T.plusSeconds(5), WAIT_LIMIT, 10).told())
                .extracting(Waiter::getAgentId, Waiter::getIntentId)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("agent-a", "w-1"), org.assertj.core.groups.Tuple.tuple("agent-b", "w-2"));
        assertThat(tasks.finish("task-1", OutcomeStatus.FAILED, T.plusSeconds(6), WAIT_LIMIT, 10).told()).isEmpty();
        assertThat(tasks.finish("task-2", OutcomeStatus.COMPENSATED, T.plusSeconds(6), WAIT_LIMIT, 10).told()).isEmpty();

    }

    @Test
    void shouldTellAtMostABoundOfDependentsAtOnceAndTheRestInTheFollowingPasses() {
        // Given 25 intents woken by task-1's completion
        for (int i = 0; i < 25; i++) {
            tasks.await("task-1", new Waiter("w-" + i, "agent-a", T), WAIT_LIMIT);
        }
        tasks.finish("task-1", OutcomeStatus.COMPLETED, T, WAIT_LIMIT, 10);

        // When it is compensated, 10 are told with the outcome, and each pass after tells up to 10 more
        TaskStore.Finished undone = tasks.finish("task-1", OutcomeStatus.COMPENSATED, T.plusSeconds(5), WAIT_LIMIT, 10);
        assertThat(undone.told()).hasSize(10);
        assertThat(undone.moreDue()).isTrue();
        List<String> told = new ArrayList<>();
        TaskStore.Undone tell = (taskId, status, dependent) -> told.add(taskId + " " + status + " " + dependent.getIntentId());
        assertThat(tasks.forget(T.plusSeconds(6), WAIT_LIMIT, 10, EntryGuard.UNGUARDED, tell)).as("stopped at the bound").isTrue();
        assertThat(told).hasSize(10).allSatisfy(line -> assertThat(line).startsWith("task-1 COMPENSATED w-"));
        assertThat(tasks.forget(T.plusSeconds(6), WAIT_LIMIT, 10, EntryGuard.UNGUARDED, tell)).isFalse();
        assertThat(told).hasSize(15);
        assertThat(tasks.forget(T.plusSeconds(7), WAIT_LIMIT, 10, EntryGuard.UNGUARDED, tell)).isFalse();
        assertThat(told).hasSize(15);
    }

    @Test
    void shouldCountEveryTasksDependentsTowardOneBoundAPass() {
        // Given two tasks, each with 8 intents its completion woke, both compensated with 5 told at once
        for (String task : List.of("task-1", "task-2")) {
            for (int i = 0; i < 8; i++) {
                tasks.await(task, new Waiter(task + "-w-" + i, "agent-a", T), WAIT_LIMIT);
            }
            tasks.finish(task, OutcomeStatus.COMPLETED, T, WAIT_LIMIT, 5);
            assertThat(tasks.finish(task, OutcomeStatus.COMPENSATED, T.plusSeconds(5), WAIT_LIMIT, 5).moreDue()).isTrue();
        }

        // Then a pass of 4 tells 4 of the 6 left, whichever task they are of, and the next the other 2
        List<String> told = new ArrayList<>();
        TaskStore.Undone tell = (taskId, status, dependent) -> told.add(dependent.getIntentId());
        assertThat(tasks.forget(T.plusSeconds(6), WAIT_LIMIT, 4, EntryGuard.UNGUARDED, tell)).isTrue();
        assertThat(told).hasSize(4);
        assertThat(tasks.forget(T.plusSeconds(6), WAIT_LIMIT, 4, EntryGuard.UNGUARDED, tell)).isFalse();
        assertThat(told).hasSize(6).doesNotHaveDuplicates();
        assertThat(dependents.approximateNumEntries()).isZero();
    }

    @Test
    void shouldDropATasksDependentsWithItAtMostABoundAPass() {
        // Given 25 intents woken by task-1's completion, which stands
        for (int i = 0; i < 25; i++) {
            tasks.await("task-1", new Waiter("w-" + i, "agent-a", T), WAIT_LIMIT);
        }
        tasks.finish("task-1", OutcomeStatus.COMPLETED, T, WAIT_LIMIT, 10);
        assertThat(dependents.approximateNumEntries()).isEqualTo(25);

        // When it passes its retention: 10 dependents a pass go, and the task with the last of them, telling nobody
        Instant past = T.plus(RETENTION);
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED, NOBODY)).isTrue();
        assertThat(dependents.approximateNumEntries()).isEqualTo(15);
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED, NOBODY)).isTrue();
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED, NOBODY)).isFalse();
        assertThat(dependents.approximateNumEntries()).isZero();
        assertThat(taskStates.approximateNumEntries()).isZero();
    }

    private static <V> KeyValueStore<String, V> open(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
