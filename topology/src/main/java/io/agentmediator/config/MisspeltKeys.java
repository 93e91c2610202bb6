package io.agentmediator.config;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Finds a setting that is almost one of the mediator's own keys and none of Kafka's: every key the
 * mediator does not know is handed to Kafka's clients, which only log it as unknown, so
 * {@code dedupe.retenton=P14D} would run silently on the default retention. Only keys this close to
 * one of ours are refused; anything else may be meant for Kafka, the serdes or a later Kafka version.
 */
public final class MisspeltKeys {

    /** Edits (insertions, deletions, substitutions, swaps of neighbours) that still count as a misspelling. */
    private static final int MAX_EDITS = 2;
    /** Shorter keys are too near each other for a guess to mean anything. */
    private static final int MIN_LENGTH = 6;
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX);

    private MisspeltKeys() {}

    /** @throws IllegalArgumentException naming the first key that looks like a misspelling of one of ours, and which */
    public static void refuse(MediatorConfig config) {
        find(config).ifPresent(message -> {
            throw new IllegalArgumentException(message);
        });
    }

    /** The first key that looks like a misspelling of one of ours, said as {@link #refuse} says it; empty when none does. */
    public static Optional<String> find(MediatorConfig config) {
        Set<String> kafka = kafkaNames();
        for (String key : config.passThrough().keySet()) {
            if (key.length() < MIN_LENGTH || kafka.contains(unprefixed(key))) {
                continue;
            }
            for (ConfigKey own : ConfigKeys.all()) {
                if (edits(key, own.name()) <= MAX_EDITS) {
                    return Optional.of("unknown setting \"" + key + "\" (environment " + MediatorConfig.envName(key)
                            + "): did you mean " + own.name() + "? Kafka's clients would ignore it, and " + own.name()
                            + " would stay at " + (own.defaultValue().isEmpty() ? "its default" : "\"" + own.defaultValue() + "\""));
                }
            }
        }
        return Optional.empty();
    }

    private static Set<String> kafkaNames() {
        Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    private static String unprefixed(String key) {
        return CLIENT_PREFIXES.stream().filter(key::startsWith).findFirst().map(prefix -> key.substring(prefix.length())).orElse(key);
    }

    /** The optimal string alignment distance: a swap of two neighbouring characters is one edit, as typing makes it. */
    static int edits(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int substitution = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + substitution);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
