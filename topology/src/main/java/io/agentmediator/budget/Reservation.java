package io.agentmediator.budget;

import java.util.List;
import java.util.Objects;

/**
 * The cost one intent was charged and the windows it was charged in, so that releasing or reconciling
 * it later touches exactly those windows, even after the calendar has moved on or the policy changed.
 *
 * @param estimateMicros the cost reserved at decision time
 * @param windowKeys     the windows charged; a closed reservation loses keys as their windows are pruned
 * @param spentMicros    what it finally cost, once SETTLED; 0 otherwise
 */
public record Reservation(String intentId, long estimateMicros, List<String> windowKeys, ReservationStatus status,
                          long spentMicros) {

    public Reservation {
        Objects.requireNonNull(intentId, "intentId");
        Objects.requireNonNull(status, "status");
        windowKeys = List.copyOf(windowKeys);
        if (estimateMicros < 0 || spentMicros < 0) {
            throw new IllegalArgumentException("amounts cannot be negative: " + estimateMicros + ", " + spentMicros);
        }
        if (status != ReservationStatus.SETTLED && spentMicros != 0) {
            throw new IllegalArgumentException("only a settled reservation has spent anything");
        }
    }

    static Reservation open(String intentId, long estimateMicros, List<String> windowKeys) {
        return new Reservation(intentId, estimateMicros, windowKeys, ReservationStatus.OPEN, 0);
    }

    public boolean isOpen() {
        return status == ReservationStatus.OPEN;
    }

    Reservation settled(long actualMicros) {
        return new Reservation(intentId, estimateMicros, windowKeys, ReservationStatus.SETTLED, actualMicros);
    }

    Reservation released() {
        return new Reservation(intentId, estimateMicros, windowKeys, ReservationStatus.RELEASED, 0);
    }

    Reservation withWindowKeys(List<String> remaining) {
        return new Reservation(intentId, estimateMicros, remaining, status, spentMicros);
    }
}
