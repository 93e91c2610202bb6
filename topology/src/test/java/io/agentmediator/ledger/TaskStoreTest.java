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

    private final Serde<TaskState> serde = new Topics("agent.", new InMemorySchemaRegistry("tasks-test")).internalSerde(TaskState.class);
    private final TaskStore tasks = new TaskStore(open("tasks", serde), open("task-index", Serdes.ByteArray()),
            new TaskWaiters(open("waiters", Serdes.Long()), open("waiter-index", Serdes.ByteArray())), RETENTION);

    @Test
    void shouldStopAtTheBoundForFinishedTasksUntilFewerThanABoundAreLeft() {
        // Given 25 tasks finished at the same moment
        for (int i = 0; i < 25; i++) {
            tasks.finish("task-" + i, OutcomeStatus.COMPLETED, T, WAIT_LIMIT);
        }

        // When / Then: passes of 10 past the retention
        Instant past = T.plus(RETENTION);
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED)).isTrue();
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED)).isTrue();
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED)).isFalse();
        assertThat(tasks.finished("task-24", WAIT_LIMIT)).as("forgotten").isNull();
        assertThat(tasks.forget(past, WAIT_LIMIT, 10, EntryGuard.UNGUARDED)).isFalse();
    }

    @Test
    void shouldStopAtTheBoundForWaitersPastTheirTimeoutUntilFewerThanABoundAreLeft() {
        // Given 15 intents waiting for a task that never finishes, since the same moment
        for (int i = 0; i < 15; i++) {
            tasks.await("never", new Waiter("waiting-" + i, "agent", T), WAIT_LIMIT);
        }

        // When / Then: passes of 10 past their timeout; the waiters are gone, so the task finishing tells nobody
        Instant over = T.plus(WAIT_LIMIT);
        assertThat(tasks.forget(over, WAIT_LIMIT, 10, EntryGuard.UNGUARDED)).isTrue();
        assertThat(tasks.forget(over, WAIT_LIMIT, 10, EntryGuard.UNGUARDED)).isFalse();
        assertThat(tasks.finish("never", OutcomeStatus.COMPLETED, over, WAIT_LIMIT)).isEmpty();
    }

    private static <V> KeyValueStore<String, V> open(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}
