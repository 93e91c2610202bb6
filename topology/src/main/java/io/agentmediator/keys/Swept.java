package io.agentmediator.keys;

/**
 * What one bounded housekeeping pass over an index did: how many records it changed (forgot, or dropped something of),
 * and whether it stopped at its bound with more perhaps due, so that its check comes back soon (see
 * {@code catchup.PacedCheck}). As with {@link Picked}, the bound counts index entries taken, not records changed.
 */
public record Swept(int changed, boolean stoppedShort) {
}
