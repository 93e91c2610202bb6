package io.agentmediator.ledger;

import io.agentmediator.keys.StoreKeys;
import io.agentmediator.schema.internal.Waiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Intents tied to a task, one record per (task, agent, intent) holding a time: any number of agents' intents may be
 * tied to one task, so none of them is kept in a value that grows with the others. A task's records are read with one
 * prefix scan.
 */
final class TaskIntents {

    private final KeyValueStore<String, Long> records;

    TaskIntents(KeyValueStore<String, Long> records) {
        this.records = records;
    }

    /** The key of the intent's record under the task. */
    static String key(String taskId, String agentId, String intentId) {
        return StoreKeys.scoped(taskId, StoreKeys.scoped(agentId, intentId));
    }

    /** Ties the intent to the task, at {@code entry.since}; returns its key. */
    String put(String taskId, Waiter entry) {
        String key = key(taskId, entry.getAgentId(), entry.getIntentId());
        records.put(key, entry.getSince().toEpochMilli());
        return key;
    }

    /** When the intent under {@code key} was tied to its task, or null when it is not. */
    Instant since(String key) {
        Long millis = records.get(key);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    void delete(String key) {
        records.delete(key);
    }

    /** Every intent tied to the task, each untied. */
    List<Waiter> takeAll(String taskId) {
        return take(taskId, Integer.MAX_VALUE);
    }

    /** Up to {@code max} of the intents tied to the task, each untied. */
    List<Waiter> take(String taskId, int max) {
        List<KeyValue<String, Long>> found = new ArrayList<>();
        try (KeyValueIterator<String, Long> ofTask = records.prefixScan(StoreKeys.prefix(taskId), Serdes.String().serializer())) {
            while (found.size() < max && ofTask.hasNext()) {
                found.add(ofTask.next());
            }
        }
        List<Waiter> taken = new ArrayList<>();
        for (KeyValue<String, Long> entry : found) {
            records.delete(entry.key);
            String tied = StoreKeys.afterScope(entry.key);
            taken.add(new Waiter(StoreKeys.afterScope(tied), StoreKeys.scopeOf(tied), Instant.ofEpochMilli(entry.value)));
        }
        return taken;
    }
}
