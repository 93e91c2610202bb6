package io.agentmediator.limits;

import io.agentmediator.config.ConfigKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The limits one record breaks, each named with its config key, in the order its fields were looked at. */
final class Findings {

    private final InputLimits limits;
    private final List<String> problems = new ArrayList<>();
    private long textChars;

    Findings(InputLimits limits) {
        this.limits = limits;
    }

    void id(String field, String value) {
        if (value != null && value.length() > limits.idMaxChars()) {
            problems.add(field + " has " + value.length() + " characters, more than " + ConfigKeys.LIMITS_ID_MAX_CHARS.name() + "="
                    + limits.idMaxChars());
        }
        text(value);
    }

    void ids(String field, Collection<String> values) {
        int i = 0;
        for (String value : values) {
            id(field + "[" + i++ + "]", value);
        }
    }

    void count(String field, int size, int max, String key) {
        if (size > max) {
            problems.add(field + " has " + size + " entries, more than " + key + "=" + max);
        }
    }

    void text(String value) {
        if (value != null) {
            textChars += value.length();
        }
    }

    void texts(Collection<String> values) {
        values.forEach(this::text);
    }

    void amount(String field, Long micros) {
        if (micros != null && (micros < 0 || micros > InputLimits.MAX_AMOUNT_MICROS)) {
            problems.add(field + " is " + micros + ", outside 0.." + InputLimits.MAX_AMOUNT_MICROS + " micro-units");
        }
    }

    List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        if (textChars > limits.textMaxChars()) {
            all.add("its strings have " + textChars + " characters in all, more than " + ConfigKeys.LIMITS_TEXT_MAX_CHARS.name() + "="
                    + limits.textMaxChars());
        }
        return List.copyOf(all);
    }
}
