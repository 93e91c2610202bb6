package io.agentmediator.ledger;

import io.agentmediator.guard.EntryGuard;
import io.agentmediator.text.Printable;
import io.agentmediator.keys.PruneIndex;
import io.agentmediator.keys.StoreConversion;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.keys.Swept;
import io.agentmediator.schema.internal.Hold;
import io.agentmediator.schema.internal.ResourceHolds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The holds on resources, one record per (resource, agent, intent id) holding the intent's holds on that resource, so no
 * value grows with the number of holds a busy resource has, nor with the number of agents that use one intent id (ids
 * are unique only within an agent: under one record per (resource, intent id), agents on other partitions reusing an id
 * grew its value past the record size limit, and the changelog write stopped the ledger's stream thread at every retry).
 * Records a version before that wrote under (resource, intent id) are read by the same scan and released from where they
 * are, each hold only for its own agent and intent, until their holds end. A conflict check reads
 * the resource's records with one prefix scan; every record is filed in a prune index at the time its
 * first hold may be over (its window ended), and taken
 * out of it when it closes or that time moves, so housekeeping reads only what is due and the index
 * keeps only what is held. Resources still held in the v1 store (every hold of a resource
 * in one value) are converted the first time they are touched, and a few at a time by housekeeping.
 */
final class ResourceHoldStore {

    private final KeyValueStore<String, ResourceHolds> holds;
    private final PruneIndex pruneIndex;
    private final StoreConversion<ResourceHolds> v1;

    ResourceHoldStore(KeyValueStore<String, ResourceHolds> holds, KeyValueStore<String, byte[]> pruneIndex,
                      KeyValueStore<String, ResourceHolds> legacy) {
        this.holds = holds;
        this.pruneIndex = new PruneIndex(pruneIndex);
        this.v1 = new StoreConversion<>(legacy, this::split);
    }

    /** Every hold on the resource, for the capacity arithmetic. */
    ResourceBook book(String resourceId) {
        v1.touch(resourceId);
        List<Hold> all = new ArrayList<>();
        try (KeyValueIterator<String, ResourceHolds> ofResource = holds.prefixScan(StoreKeys.prefix(resourceId), Serdes.String().serializer())) {
            ofResource.forEachRemaining(entry -> all.addAll(entry.value.getHolds()));
        }
        return ResourceBook.of(all);
    }

    void hold(String resourceId, Hold hold) {
        v1.touch(resourceId);
        String key = key(resourceId, hold.getAgentId(), hold.getIntentId());
        List<Hold> before = existing(key);
        List<Hold> ofIntent = new ArrayList<>(before);
        ofIntent.add(hold);
        write(key, before, ofIntent);
    }

    /**
     * Drops the holds of the agent's intent on the resource, or with {@code claimAt} only those the claim sent then took;
     * whether there was one. Another agent's intent under the same id (ids are deduplicated only in each agent's partition)
     * keeps its holds, and so does an earlier intent of the agent's under the id (used again once its partition forgot it),
     * from a release that names the claim. A hold taken by a version that did not record its claim's time is the claim's
     * when it starts at that time, as a claim without a window does (held from the decision until released, the holds
     * nothing else would let go of); otherwise it is kept, more likely an earlier booking than one this claim took before
     * an upgrade, which the claim's answer releases when it comes.
     */
    boolean release(String resourceId, String intentId, String agentId, Instant claimAt) {
        v1.touch(resourceId);
        boolean released = releaseFrom(key(resourceId, agentId, intentId), intentId, agentId, claimAt);
        return releaseFrom(StoreKeys.scoped(resourceId, intentId), intentId, agentId, claimAt) || released;
    }

    private boolean releaseFrom(String key, String intentId, String agentId, Instant claimAt) {
        List<Hold> held = existing(key);
        List<Hold> others = held.stream()
                .filter(hold -> !hold.getAgentId().equals(agentId) || !hold.getIntentId().equals(intentId) || !takenBy(hold, claimAt))
                .toList();
        if (others.size() == held.size()) {
            return false;
        }
        write(key, held, others);
        return true;
    }

    /** The record of the agent's intent's holds on the resource. */
    private static String key(String resourceId, String agentId, String intentId) {
        return StoreKeys.scoped(resourceId, StoreKeys.scoped(agentId, intentId));
    }

    /** Whether the claim sent at {@code claimAt} (null: any claim of the intent) took the hold. */
    private static boolean takenBy(Hold hold, Instant claimAt) {
        if (claimAt == null) {
            return true;
        }
        return hold.getClaimAt() != null ? claimAt.equals(hold.getClaimAt()) : claimAt.equals(hold.getFrom());
    }

    /**
     * Drops the holds that are over at {@code now} among up to {@code max} records due, re-filing what
     * stays (one that fails is skipped by {@code guard}), and converts up to {@code max} v1 resources. Says how many holds
     * were dropped, and whether more may be due or left to convert.
     */
    Swept sweep(Instant now, int max, EntryGuard guard) {
        int[] dropped = {0};
        List<String> due = pruneIndex.takeDue(now, max);
        for (String key : due) {
            guard.attempt("the holds " + Printable.escape(key), () -> {
                List<Hold> ofIntent = existing(key);
                List<Hold> staying = ofIntent.stream().filter(hold -> !ResourceBook.over(hold, now)).toList();
                dropped[0] += ofIntent.size() - staying.size();
                if (staying.size() != ofIntent.size()) {
                    // Its entry was just taken: nothing is filed to take out.
                    write(key, List.of(), staying);
                } else if (!staying.isEmpty()) {
                    file(key, staying);
                }
            });
        }
        boolean unconverted = v1.convertSome(max);
        return new Swept(dropped[0], due.size() >= max || unconverted);
    }

    private List<Hold> existing(String key) {
        ResourceHolds stored = holds.get(key);
        return stored == null ? List.of() : stored.getHolds();
    }

    /**
     * Replaces the record's holds, {@code filed} when it was last filed, by {@code ofIntent}. The entry filed for the
     * old holds is taken out when the record closes or its due time moves: left in, it stayed until a time the agent
     * chooses (a claim until 2200, released the same day), one index entry for every hold ever released.
     */
    private void write(String key, List<Hold> filed, List<Hold> ofIntent) {
        Optional<Instant> dueAt = dueAt(ofIntent);
        dueAt(filed).filter(old -> !dueAt.equals(Optional.of(old))).ifPresent(old -> pruneIndex.unfile(key, old));
        if (ofIntent.isEmpty()) {
            holds.delete(key);
            return;
        }
        holds.put(key, new ResourceHolds(List.copyOf(ofIntent)));
        file(key, ofIntent);
    }

    /** Files the record at the first moment one of its holds may be over; an open-ended completed hold never is. */
    private void file(String key, List<Hold> ofIntent) {
        dueAt(ofIntent).ifPresent(dueAt -> pruneIndex.file(key, dueAt));
    }

    private static Optional<Instant> dueAt(List<Hold> ofIntent) {
        return ofIntent.stream().map(ResourceBook::overAt).flatMap(Optional::stream).min(Instant::compareTo);
    }

    /** Splits a v1 value of the resource, every hold on it, into one record per agent's intent. */
    private void split(String resourceId, ResourceHolds old) {
        Map<String, List<Hold>> byIntent = new LinkedHashMap<>();
        for (Hold hold : old.getHolds()) {
            byIntent.computeIfAbsent(key(resourceId, hold.getAgentId(), hold.getIntentId()), key -> new ArrayList<>()).add(hold);
        }
        byIntent.forEach((key, ofIntent) -> write(key, List.of(), ofIntent));
    }
}
