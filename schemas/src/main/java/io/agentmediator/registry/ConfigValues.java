package io.agentmediator.registry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;

/**
 * Reads typed values out of the loosely typed maps Kafka hands to {@code configure}, where a value
 * may be a String, a Number, or a Kafka {@link Password}.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    /** The value as text, empty when absent or blank. */
    static Optional<String> string(Map<String, ?> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return Optional.empty();
        }
        // Password.toString() is "[hidden]"; the secret itself is in value().
        String text = value instanceof Password password ? password.value() : value.toString();
        return text.isBlank() ? Optional.empty() : Optional.of(text.trim());
    }

    static String string(Map<String, ?> config, String key, String defaultValue) {
        return string(config, key).orElse(defaultValue);
    }

    /** 100 years, the longest duration the mediator takes for any setting: twice it still fits a long of milliseconds. */
    static final long LONGEST_MILLIS = Duration.ofDays(36_500).toMillis();

    /** A positive number of milliseconds, at most {@link #LONGEST_MILLIS}. */
    static Duration millis(Map<String, ?> config, String key, long defaultMillis) {
        long millis;
        try {
            millis = string(config, key).map(Long::parseLong).orElse(defaultMillis);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number of milliseconds, got '"
                    + config.get(key) + "'", e);
        }
        if (millis <= 0 || millis > LONGEST_MILLIS) {
            throw new IllegalArgumentException(key + " must be from 1 to " + LONGEST_MILLIS + " milliseconds, got " + millis);
        }
        return Duration.ofMillis(millis);
    }
}
