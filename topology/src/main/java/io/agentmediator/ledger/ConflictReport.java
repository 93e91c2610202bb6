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

    /**
     * {@code holders}: every hold overlapping the claim's window, the claiming intent's own earlier claims on the resource
     * among them (they count against it), which are told apart so that the intent is never named as the other side.
     */
    static String message(String intentId, String agentId, String resourceId, long capacity, long quantity, Instant from, Instant until,
                          long peak, List<Hold> holders) {
        StringBuilder message = new StringBuilder("resource ").append(resourceId).append(" (capacity ").append(capacity).append(')');
        if (holders.isEmpty()) {
            // The claim alone is more than the resource can hold: there is nobody to name.
            return message.append(" is held by nobody over ").append(window(from, until)).append(", but ").append(quantity)
                    .append(" claimed > ").append(capacity).toString();
        }
        List<Hold> others = holders.stream().filter(hold -> !hold.getIntentId().equals(intentId) || !hold.getAgentId().equals(agentId))
                .toList();
        int own = holders.size() - others.size();
        message.append(" is held over ").append(window(from, until)).append(" by ");
        for (int i = 0; i < Math.min(NAMED, others.size()); i++) {
            Hold hold = others.get(i);
            message.append(i == 0 ? "" : ", ").append("agent ").append(hold.getAgentId()).append(" (intent ")
                    .append(hold.getIntentId()).append(", ").append(hold.getQuantity()).append(" over ")
                    .append(window(hold.getFrom(), hold.getUntil())).append(')');
        }
        if (others.size() > NAMED) {
            message.append(" and ").append(others.size() - NAMED).append(" more");
        }
        if (own > 0) {
            message.append(others.isEmpty() ? "" : ", and by ").append("this intent's own ")
                    .append(own == 1 ? "earlier claim" : own + " earlier claims").append(" on it");
        }
        return message.append("; ").append(peak).append(" held at the peak + ").append(quantity).append(" claimed > ")
                .append(capacity).toString();
    }

    private static String window(Instant from, Instant until) {
        return "[" + from + ", " + (until == null ? "released)" : until + ")");
    }
}
