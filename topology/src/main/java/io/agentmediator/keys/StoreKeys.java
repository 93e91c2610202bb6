package io.agentmediator.keys;

import java.time.Duration;
import java.time.Instant;

/**
 * Keys of stores that hold one record per (scope, thing): the scope's length, the scope, then the
 * thing, such as {@code 15:finance-analyst|DAY:2026-11-21} (a budget window of an agent) or
 * {@code 8:room:4.12|15:finance-analyst|i-7} (an agent's intent's holds on a resource, a key scoped twice). The length makes keys of different scopes
 * distinct whatever characters ids hold (agent {@code a} with intent {@code b|c} and agent {@code a|b}
 * with intent {@code c} never share a key), and every key of one scope starts with {@link #prefix}.
 * Prune keys start with a fixed-width epoch-millisecond time, so they sort by when they fall due and
 * housekeeping reads only the due ones with a range scan.
 */
public final class StoreKeys {

    /**
     * The longest duration a policy or the configuration may set (a hundred years). Each is added to an event's time and
     * filed as a due time, so it must leave that time within what prune keys hold (until 2286) for any event of this century,
     * and within what epoch milliseconds and {@link Instant} hold for any at all: a timeout meant as "never" and written as
     * a billion days would otherwise fail each intent it applies to.
     */
    public static final Duration LONGEST_DURATION = Duration.ofDays(36_500);

    private static final char SEPARATOR = '|';
    private static final int TIME_DIGITS = 13;
    /** The last time {@link #TIME_DIGITS} digits hold (2286-11-20T17:46:39.999Z); later due times are filed at it. */
    private static final Instant LAST_TIME = Instant.ofEpochMilli(9_999_999_999_999L);

    private StoreKeys() {}

    public static String scoped(String scope, String thing) {
        return prefix(scope) + thing;
    }

    /** What every key of the scope, and no other, starts with. */
    public static String prefix(String scope) {
        return scope.length() + ":" + scope + SEPARATOR;
    }

    /** The scope of a scoped key. */
    public static String scopeOf(String key) {
        int colon = key.indexOf(':');
        int length = Integer.parseInt(key.substring(0, colon));
        return key.substring(colon + 1, colon + 1 + length);
    }

    /** What follows the scope in a scoped key. */
    public static String afterScope(String key) {
        int colon = key.indexOf(':');
        int length = Integer.parseInt(key.substring(0, colon));
        return key.substring(colon + 1 + length + 1);
    }


    /** The prune-index key of a record: due at {@code dueAt}. */
    static String prune(Instant dueAt, String key) {
        return time(dueAt) + SEPARATOR + key;
    }

    /** The last prune-index key due at or before {@code at}. */
    static String lastPruneKeyDueBy(Instant at) {
        return time(at) + (char) (SEPARATOR + 1);
    }

    static String firstPruneKey() {
        return time(Instant.EPOCH);
    }

    /** The key of the record a prune key files. */
    static String keyOfPrune(String pruneKey) {
        return pruneKey.substring(TIME_DIGITS + 1);
    }

    /**
     * A due time as {@link #TIME_DIGITS} digits: before 1970 as 1970 and after 2286 as 2286, so a key is never misread
     * and an {@link Instant} beyond epoch milliseconds never throws. A record filed at the last time may come up early (in
     * 2286, or in a backtest replaying later times); whoever takes it checks when it is really due, as for every entry.
     */
    private static String time(Instant at) {
        long millis = at.isBefore(Instant.EPOCH) ? 0 : (at.isAfter(LAST_TIME) ? LAST_TIME : at).toEpochMilli();
        String digits = Long.toString(millis);
        return "0".repeat(Math.max(0, TIME_DIGITS - digits.length())) + digits;
    }
}
