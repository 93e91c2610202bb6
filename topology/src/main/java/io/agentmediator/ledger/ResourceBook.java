package io.agentmediator.ledger;

import io.agentmediator.schema.internal.Hold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The holds on one resource, as {@link ResourceHoldStore} reads them, and the arithmetic of its capacity.
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

    public static ResourceBook of(List<Hold> holds) {
        return new ResourceBook(List.copyOf(holds));
    }

    public List<Hold> holds() {
        return List.copyOf(holds);
    }

    /** How many of the holds are the agent's under the intent id. */
    public long heldUnder(String intentId, String agentId) {
        return holds.stream().filter(hold -> hold.getIntentId().equals(intentId) && hold.getAgentId().equals(agentId)).count();
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
            try {
                held = Math.addExact(held, edge[1]);
            } catch (ArithmeticException e) {
                // Only holds taken regardless of capacity (an approved conflict) can add up past a long: the resource is full.
                return Long.MAX_VALUE;
            }
            peak = Math.max(peak, held);
        }
        return peak;
    }

    /** Whether {@code quantity} more over {@code [from, until)} would exceed {@code capacity}; no quantity, however large, wraps round to fit. */
    public boolean wouldExceed(Instant from, Instant until, long quantity, long capacity) {
        return quantity > capacity - peak(from, until);
    }

    /**
     * When the hold is over: its window ends; empty for an open-ended hold that nothing ends but a release. Not at its
     * intent's {@code expiresAt}: an executor may run the action just before it and report a moment after, and the booking
     * it made must go on counting. An intent that is not executed lets its holds go itself (denied, its escalation expired,
     * its claims unanswered, rejected), and an executed one nobody reports does at {@code case.retention}.
     */
    public static Optional<Instant> overAt(Hold hold) {
        return Optional.ofNullable(hold.getUntil());
    }

    public static boolean over(Hold hold, Instant now) {
        return overAt(hold).map(at -> !at.isAfter(now)).orElse(false);
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
