package io.agentmediator.config;

import java.util.regex.Pattern;

/**
 * Settings that become part of topic names (the topic prefix, the application id, which prefixes the changelogs and
 * repartition topics): checked at start against what Kafka accepts in a topic name, so that a wrong one is named with
 * its key before any subject is registered or topic created, not refused by the broker halfway through provisioning or
 * by every stream thread at its first changelog.
 */
public final class KafkaNames {

    /** What Kafka allows in a topic name (org.apache.kafka.common.internals.Topic). */
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");

    private KafkaNames() {}

    /** {@code value}, the setting {@code key}, if it may start every topic name, as it is or empty; else refused naming the key. */
    public static String prefix(String key, String value) {
        if (value == null || !LEGAL.matcher(value).matches()) {
            throw new IllegalArgumentException(key + " must be letters, digits, dots, underscores or hyphens (it starts Kafka topics' names), was \""
                    + value + "\"");
        }
        return value;
    }

    /** The longest topic name Kafka accepts. */
    public static final int LONGEST = 249;

    /** Refuses {@code value}, the setting {@code key}, when one of the topic names it makes is longer than Kafka accepts. */
    public static void fit(String key, String value, java.util.Collection<String> names) {
        names.stream().filter(name -> name.length() > LONGEST).findFirst().ifPresent(name -> {
            throw new IllegalArgumentException(key + " is " + value.length() + " characters: it makes topic " + name + " "
                    + name.length() + " long, more than Kafka's " + LONGEST);
        });
    }

    /** {@code value}, the setting {@code key}, if it may start a topic name and is not empty; else refused naming the key. */
    public static String name(String key, String value) {
        if (prefix(key, value).isEmpty()) {
            throw new IllegalArgumentException(key + " must not be empty (it starts Kafka topics' names)");
        }
        return value;
    }
}
