package io.agentmediator.ledger;

import io.agentmediator.schema.internal.Hold;
import io.agentmediator.schema.internal.ResourceHolds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every hold on one resource, and the arithmetic of its capacity.
 *
 * <p>A claim conflicts when, at some instant of its window, the quantities already held plus its
 * own exceed the capacity. Holds are half-open, so two windows that only touch ({@code until} of
 * one is {@code from} of the other) never overlap, and a hold without {@code until} lasts until it
 * is released. Counting the peak rather than the sum of every overlapping hold means a room booked
 * 9–10 and 11–12 still fits a second booking of 9–12 when its capacity is 2.
 */
public final class ResourceBook {

    private static final long OPEN = Long.MAX_VALUE;

    private final List<Hold> holds;

    private ResourceBook(List<Hold> holds) {
        this.holds = holds;
    }

    /** The book a stored value holds; an empty one for none. */
    public static ResourceBook of(ResourceHolds stored) {
        return new ResourceBook(stored == null ? new ArrayList<>() : new ArrayList<>(stored.getHolds()));
    }

    public ResourceHolds toRecord() {
        return new ResourceHolds(List.copyOf(holds));
    }

    public boolean isEmpty() {
        return holds.isEmpty();
    }

    public List<Hold> holds() {
        return List.copyOf(holds);
    }

    /** The holds whose window overlaps {@code [from, until)}; {@code until} null means open-ended. */
    public List<Hold> overlapping(Instant from, Instant until) {
        long start = from.toEpochMilli();
        long end = millis(until);
        return holds.stream().filter(hold -> overlaps(hold, start, end)).toList();
    }

    /** The most held at any one instant of {@code [from, until)}. */
    public long peak(Instant from, Instant until) {
        long start = from.toEpochMilli();
        long end = millis(until);
        List<long[]> edges = new ArrayList<>();
        for (Hold hold : holds) {
            if (overlaps(hold, start, end)) {
                edges.add(new long[] {Math.max(hold.getFrom().toEpochMilli(), start), hold.getQuantity()});
                long holdEnd = Math.min(millis(hold.getUntil()), end);
                if (holdEnd != OPEN) {
                    edges.add(new long[] {holdEnd, -hold.getQuantity()});
                }
            }
        }
        // At one instant, ends before starts: a window ending at t and one starting at t only touch.
        edges.sort(Comparator.<long[]>comparingLong(edge -> edge[0]).thenComparingLong(edge -> edge[1]));
        long held = 0;
        long peak = 0;
        for (long[] edge : edges) {
            held += edge[1];
            peak = Math.max(peak, held);
        }
        return peak;
    }

    /** Whether {@code quantity} more over {@code [from, until)} would exceed {@code capacity}. */
    public boolean wouldExceed(Instant from, Instant until, long quantity, long capacity) {
        return peak(from, until) + quantity > capacity;
    }

    public void hold(Hold hold) {
        holds.add(hold);
    }

    /** Drops every hold of the intent; whether there was one. */
    public boolean release(String intentId) {
        return holds.removeIf(hold -> hold.getIntentId().equals(intentId));
    }

    /** Marks the intent's holds completed: they stay until their window ends, whatever its expiry. */
    public boolean complete(String intentId) {
        boolean any = false;
        for (int i = 0; i < holds.size(); i++) {
            Hold hold = holds.get(i);
            if (hold.getIntentId().equals(intentId) && !hold.getCompleted()) {
                holds.set(i, Hold.newBuilder(hold).setCompleted(true).build());
                any = true;
            }
        }
        return any;
    }

    /**
     * Drops the holds that are over at {@code now}: their window has ended, or their intent expired
     * before an executor reported it completed. Returns how many.
     */
    public int sweep(Instant now) {
        long at = now.toEpochMilli();
        int before = holds.size();
        holds.removeIf(hold -> millis(hold.getUntil()) <= at
                || (!hold.getCompleted() && hold.getExpiresAt() != null && hold.getExpiresAt().toEpochMilli() <= at));
        return before - holds.size();
    }

    private static boolean overlaps(Hold hold, long start, long end) {
        long holdStart = hold.getFrom().toEpochMilli();
        long holdEnd = millis(hold.getUntil());
        return holdStart < holdEnd && holdStart < end && start < holdEnd;
    }

    private static long millis(Instant instant) {
        return instant == null ? OPEN : instant.toEpochMilli();
    }
}
