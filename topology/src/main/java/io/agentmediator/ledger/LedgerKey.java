package io.agentmediator.ledger;

/**
 * The id of a ledger entry, which is also the key of every request about it: one id space for
 * the three things agents contend for, so an agent's resource named like a pool cannot collide
 * with it.
 *
 * @param kind what the entry is
 * @param id   the resource id, pool id or intent id
 */
public record LedgerKey(Kind kind, String id) {

    /** What a ledger entry counts. */
    public enum Kind {
        /** A resource with a capacity, held in time windows. */
        RESOURCE("resource:"),
        /** A shared budget pool, charged the cost of its members' intents. */
        POOL("pool:"),
        /** An executed intent others may depend on, and who waits for it. */
        TASK("task:");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public static LedgerKey resource(String resourceId) {
        return new LedgerKey(Kind.RESOURCE, resourceId);
    }

    public static LedgerKey pool(String poolId) {
        return new LedgerKey(Kind.POOL, poolId);
    }

    public static LedgerKey task(String intentId) {
        return new LedgerKey(Kind.TASK, intentId);
    }

    /** Reads a key written by {@link #toString()}; throws for any other string. */
    public static LedgerKey parse(String key) {
        for (Kind kind : Kind.values()) {
            if (key.startsWith(kind.prefix)) {
                return new LedgerKey(kind, key.substring(kind.prefix.length()));
            }
        }
        throw new IllegalArgumentException("not a ledger key: \"" + key + "\"");
    }

    @Override
    public String toString() {
        return kind.prefix + id;
    }
}
