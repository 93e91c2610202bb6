package io.agentmediator.ledger;

import io.agentmediator.schema.internal.Hold;
import java.time.Instant;
import java.util.List;

/**
 * The human sentence of a conflict: the resource, its capacity, and who holds it when, so the
 * person deciding the escalation sees both sides.
 */
final class ConflictReport {

    /** Enough names for a person to act on; the rest are counted, and all are in the case file. */
    private static final int NAMED = 5;

    private ConflictReport() {}

    static String message(String resourceId, long capacity, long quantity, Instant from, Instant until, long peak, List<Hold> holders) {
        StringBuilder message = new StringBuilder("resource ").append(resourceId).append(" (capacity ").append(capacity)
                .append(") is held over ").append(window(from, until)).append(" by ");
        for (int i = 0; i < Math.min(NAMED, holders.size()); i++) {
            Hold hold = holders.get(i);
            message.append(i == 0 ? "" : ", ").append("agent ").append(hold.getAgentId()).append(" (intent ")
                    .append(hold.getIntentId()).append(", ").append(hold.getQuantity()).append(" over ")
                    .append(window(hold.getFrom(), hold.getUntil())).append(')');
        }
        if (holders.size() > NAMED) {
            message.append(" and ").append(holders.size() - NAMED).append(" more");
        }
        return message.append("; ").append(peak).append(" held at the peak + ").append(quantity).append(" claimed > ")
                .append(capacity).toString();
    }

    private static String window(Instant from, Instant until) {
        return "[" + from + ", " + (until == null ? "released)" : until + ")");
    }
}
