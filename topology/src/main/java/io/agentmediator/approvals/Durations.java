package io.agentmediator.approvals;

import java.time.Duration;

/** Durations as a person glances at them: the two largest units, such as 3h 05m or 2d 04h. */
final class Durations {

    private Durations() {}

    /** The length of {@code duration}, whatever its sign. */
    static String brief(Duration duration) {
        long seconds = duration.abs().getSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return hours + "h " + twoDigits(minutes % 60) + "m";
        }
        return hours / 24 + "d " + twoDigits(hours % 24) + "h";
    }

    private static String twoDigits(long value) {
        return value < 10 ? "0" + value : Long.toString(value);
    }
}
