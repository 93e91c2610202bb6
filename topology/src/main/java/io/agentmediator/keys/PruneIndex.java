package io.agentmediator.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An index of a store's records by the time housekeeping should look at them, so housekeeping reads
 * only what is due instead of the whole store. An entry may outlive a change of its record: whoever
 * takes it checks the record, and files it again if it is not done with. A record that closes, or
 * moves, long before its entry is due is unfiled by its owner, or the entry would stay until then.
 */
public final class PruneIndex {

    private static final byte[] FILED = new byte[0];

    private final KeyValueStore<String, byte[]> index;

    public PruneIndex(KeyValueStore<String, byte[]> index) {
        this.index = index;
    }

    /** Files the record under {@code key} to be looked at once {@code dueAt} has come. */
    public void file(String key, Instant dueAt) {
        index.put(StoreKeys.prune(dueAt, key), FILED);
    }

    /** Takes the record under {@code key} out of the index where it was filed for {@code dueAt}. */
    public void unfile(String key, Instant dueAt) {
        index.delete(StoreKeys.prune(dueAt, key));
    }

    /** Whether the record under {@code key} is filed to be looked at at {@code dueAt}. */
    public boolean isFiled(String key, Instant dueAt) {
        return index.get(StoreKeys.prune(dueAt, key)) != null;
    }

    /**
     * The keys of up to {@code max} records due at {@code now}, earliest first; their entries leave the index.
     * A record filed again must be filed after {@code now}: at a time already past it would be taken first
     * again at the next call, ahead of every record behind it.
     */
    public List<String> takeDue(Instant now, int max) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> filed = index.range(StoreKeys.firstPruneKey(), StoreKeys.lastPruneKeyDueBy(now))) {
            while (filed.hasNext() && due.size() < max) {
                due.add(filed.next().key);
            }
        }
        due.forEach(index::delete);
        return due.stream().map(StoreKeys::keyOfPrune).toList();
    }
}
