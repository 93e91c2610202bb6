package io.agentmediator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard and the Prometheus alert rules kept for the Helm chart, and the metric names their queries use. */
public final class OperationsFiles {

    public static final Path DASHBOARD = Path.of("..", "helm", "agent-mediator", "dashboards", "agent-mediator.json");
    public static final Path ALERT_RULES = Path.of("..", "helm", "agent-mediator", "alerts", "agent-mediator-rules.yaml");

    /** Quoted text in PromQL: label values and regexes, never metric names. */
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    /** Our metrics and those of the binders share these prefixes; label names and functions never start with them. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:mediator|kafka|jvm|process|system)_[a-zA-Z0-9_]+\\b");

    private OperationsFiles() {}

    public static JsonNode dashboard() {
        return read(new ObjectMapper(), DASHBOARD);
    }

    public static JsonNode alertRules() {
        return read(new ObjectMapper(new YAMLFactory()), ALERT_RULES);
    }

    /** Every PromQL expression of the dashboard: its panels' targets and its query variables. */
    public static List<String> dashboardQueries() {
        List<String> queries = new ArrayList<>();
        JsonNode dashboard = dashboard();
        dashboard.get("panels").forEach(panel -> panel.path("targets").forEach(target -> queries.add(target.get("expr").asText())));
        dashboard.get("templating").get("list").forEach(variable -> {
            if (variable.has("definition")) {
                queries.add(variable.get("definition").asText());
            }
        });
        return queries;
    }

    /** Every alert's expression. */
    public static List<String> alertQueries() {
        List<String> queries = new ArrayList<>();
        alertRules().get("groups").forEach(group -> group.get("rules").forEach(rule -> queries.add(rule.get("expr").asText())));
        return queries;
    }

    /** The metric names the expressions read. */
    public static Set<String> metricNames(List<String> queries) {
        Set<String> names = new TreeSet<>();
        for (String query : queries) {
            Matcher metric = METRIC.matcher(QUOTED.matcher(query).replaceAll("\"\""));
            while (metric.find()) {
                names.add(metric.group());
            }
        }
        return names;
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
