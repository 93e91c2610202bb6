package io.agentmediator.config;

import io.agentmediator.keys.StoreKeys;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
  * The mediator's configuration, layered: defaults &lt; properties file &lt; {@code MEDIATOR_*}
  * environment &lt; explicit overrides (command-line flags). Keys not in {@link ConfigKeys} are
  * kept too and handed to Kafka Streams and the serdes, so operators configure security and
  * tuning with Kafka's own names.
  */
public final class MediatorConfig {

    static final String ENV_PREFIX = "MEDIATOR_";
    /** Read by logback.xml, not configuration: as keys they would reach every Kafka client as unknown settings. */
    private static final Set<String> LOGGING_VARIABLES = Set.of("MEDIATOR_LOG_LEVEL", "MEDIATOR_LOG_FORMAT");
    private static final Set<String> OWN_KEYS = ConfigKeys.all().stream().map(ConfigKey::name).collect(Collectors.toUnmodifiableSet());

    private final Map<String, String> values;

    private MediatorConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Defaults only: what the embedded broker needs. */
    public static MediatorConfig defaults() {
        return layered(Map.of(), Map.of(), Map.of());
    }

    /** Reads the file (if given), then the process environment, then the overrides. */
    public static MediatorConfig load(Path file, Map<String, String> overrides) throws IOException {
        return layered(file == null ? Map.of() : readProperties(file), System.getenv(), overrides);
    }

    /**
      * The layering itself, with the environment passed in so it can be tested. An environment
      * variable MEDIATOR_X_Y overrides the key whose name, upper-cased with dots and dashes turned
      * to underscores, is X_Y; for keys the file or defaults do not name, x.y is assumed.
      */
    public static MediatorConfig layered(
            Map<String, String> file, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        ConfigKeys.all().forEach(key -> values.put(key.name(), expand(key.defaultValue())));
        values.putAll(file);
        Map<String, String> byEnvName =
                values.keySet().stream()
                        .collect(Collectors.toMap(MediatorConfig::envName, k -> k, (a, b) -> a));
        environment.forEach(
                (name, value) -> {
                    if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length() && !LOGGING_VARIABLES.contains(name)) {
                        String key =
                                byEnvName.getOrDefault(
                                        name,
                                        name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'));
                        // The mediator's own keys trimmed, as the properties file's are: a Secret's trailing newline would be part
                        // of a topic or a URL. Kafka's and the registry client's are passed as they are: a password may end in
                        // a space.
                        values.put(key, OWN_KEYS.contains(key) ? value.trim() : value);
                    }
                });
        values.putAll(overrides);
        return new MediatorConfig(values);
    }

    static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Map<String, String> readProperties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (java.nio.file.NoSuchFileException e) {
            // Its message is the path alone, which the CLI printed as "error: /path".
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such configuration file (--config)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }

    private static String expand(String value) {
        return value.replace("${java.io.tmpdir}", System.getProperty("java.io.tmpdir"));
    }

    public String get(ConfigKey key) {
        return values.get(key.name());
    }

    /** Whether {@code key} holds its default: nothing (file, environment, override) set it otherwise. */
    public boolean isDefault(ConfigKey key) {
        return get(key).equals(expand(key.defaultValue()));
    }

    private static final java.time.Duration SHORTEST_DURATION = java.time.Duration.ofMillis(1);

    public int getInt(ConfigKey key) {
        return getInt(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}, both included; one outside is refused naming the key and the bounds. */
    public int getInt(ConfigKey key, int min, int max) {
        return (int) getLong(key, min, max);
    }

    public long getLong(ConfigKey key) {
        String value = get(key);
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.name() + " must be a whole number, was \"" + value + "\"", e);
        }
    }

    /** A whole number from {@code min} to {@code max}, both included; one outside is refused naming the key. */
    public long getLong(ConfigKey key, long min, long max) {
        long value = getLong(key);
        if (value < min || value > max) {
            throw new IllegalArgumentException(key.name() + " must be from " + min + " to " + max + ", was \"" + get(key) + "\"");
        }
        return value;
    }

    /**
     * A duration the operator set: at least a millisecond, since every one of them is a period something is scheduled at, a
     * wait or a retention, counted in whole milliseconds by Kafka, Jetty and the schedulers, and zero would fail far from
     * here (a stream thread dying at each start) or switch a guard off (an idle timeout of 0 is none); and at most
     * {@link StoreKeys#LONGEST_DURATION}, since a retention or wait is added to event times to file when it ends.
     */
    public java.time.Duration getDuration(ConfigKey key) {
        String value = get(key);
        java.time.Duration duration;
        try {
            duration = java.time.Duration.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(key.name() + " must be an ISO-8601 duration such as P7D or PT4H, was \"" + value + "\"", e);
        }
        if (duration.compareTo(SHORTEST_DURATION) < 0) {
            throw new IllegalArgumentException(key.name() + " must be at least a millisecond (PT0.001S), was \"" + value + "\"");
        }
        if (duration.compareTo(StoreKeys.LONGEST_DURATION) > 0) {
            throw new IllegalArgumentException(key.name() + " must be at most P36500D (100 years), was \"" + value + "\"");
        }
        return duration;
    }

    /** A duration the operator set in milliseconds (a key ending in .ms), within the bounds of {@link #getDuration}. */
    public java.time.Duration getMillis(ConfigKey key) {
        return java.time.Duration.ofMillis(getLong(key, 1, StoreKeys.LONGEST_DURATION.toMillis()));
    }

    public boolean getBoolean(ConfigKey key) {
        String value = get(key).trim().toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(key.name() + " must be true or false, was \"" + get(key) + "\"");
        }
        return Boolean.parseBoolean(value);
    }

    /** A copy with one key replaced, for wiring decided at run time (the embedded broker's address). */
    public MediatorConfig with(ConfigKey key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key.name(), value);
        return new MediatorConfig(copy);
    }

    /** Every key that is not the mediator's own: passed to Kafka Streams, clients and serdes. */
    public Map<String, String> passThrough() {
        Set<String> own = ConfigKeys.all().stream().map(ConfigKey::name).collect(Collectors.toSet());
        Map<String, String> rest = new LinkedHashMap<>();
        values.forEach(
                (k, v) -> {
                    if (!own.contains(k)) {
                        rest.put(k, v);
                    }
                });
        return rest;
    }

    /**
     * Settings for a plain Kafka client (admin, producer, consumer) of the mediator or its tools:
     * the operator's pass-through keys (security, tuning) and the brokers, so every client reaches
     * the cluster the same way.
     */
    public Map<String, Object> clientSettings() {
        Map<String, Object> settings = new LinkedHashMap<>(passThrough());
        settings.put("bootstrap.servers", get(ConfigKeys.BOOTSTRAP_SERVERS));
        return settings;
    }

    /** The configuration the schema registry client and serdes read. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new LinkedHashMap<>(passThrough());
        config.put(ConfigKeys.SCHEMA_REGISTRY_URL.name(), get(ConfigKeys.SCHEMA_REGISTRY_URL));
        return config;
    }
}
