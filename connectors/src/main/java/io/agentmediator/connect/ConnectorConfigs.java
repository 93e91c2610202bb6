package io.agentmediator.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connector configurations shipped in {@code connectors/config/} (and in this jar), for a worker that cannot
 * resolve their {@code ${env:NAME}} placeholders itself, such as one started in process: each placeholder is replaced
 * by the value given for {@code NAME}, and a placeholder without a value is an error rather than a literal left in.
 */
public final class ConnectorConfigs {

    /** The sink that keeps one row per intent in {@code audit_trail}. */
    public static final String AUDIT = "audit-sql-sink.json";
    /** The sink that appends every decision to {@code decisions}. */
    public static final String DECISIONS = "decisions-sql-sink.json";
    /** The placeholders the files use. */
    public static final String REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    public static final String JDBC_URL = "AUDIT_SQL_JDBC_URL";
    public static final String USER = "AUDIT_SQL_USER";
    public static final String PASSWORD = "AUDIT_SQL_PASSWORD";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
    private static final String DIRECTORY = "config/";

    private ConnectorConfigs() {
    }

    /** A connector's name and its configuration with the placeholders filled in. */
    public record Connector(String name, Map<String, String> config) {
    }

    /** Reads {@code file} (one of the constants) and fills its placeholders from {@code values}. */
    public static Connector load(String file, Map<String, String> values) {
        JsonNode root = read(file);
        Map<String, String> config = new LinkedHashMap<>();
        root.path("config").fields().forEachRemaining(entry -> config.put(entry.getKey(), fill(file, entry.getValue().asText(), values)));
        return new Connector(root.path("name").asText(), config);
    }

    private static JsonNode read(String file) {
        try (InputStream in = ConnectorConfigs.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalArgumentException("No connector configuration " + file + " in " + DIRECTORY);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the connector configuration " + file, e);
        }
    }

    private static String fill(String file, String text, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException(file + " needs a value for ${env:" + matcher.group(1) + "}");
            }
            matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(filled).toString();
    }
}
