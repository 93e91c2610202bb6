package io.agentmediator.keys;

/**
 * What one bounded housekeeping pass over an index did: how many records it changed (forgot, or dropped something of),
 * and whether it stopped at its bound with more perhaps due, so that its check comes back soon (see
 * {@code catchup.PacedCheck}). As with {@link Picked}, the bound counts index entries taken, not records changed.
 */
public record Swept(int changed, boolean stoppedShort) {

    /** A pass that took {@code taken} entries with a bound of {@code max}, and changed {@code changed} records. */
    public static Swept of(int changed, int taken, int max) {
        return new Swept(changed, taken >= max);
    }

    /** This pass and {@code other} as one: more may be due if either stopped at its bound. */
    public Swept and(Swept other) {
        return new Swept(changed + other.changed, stoppedShort || other.stoppedShort);
    }
}
