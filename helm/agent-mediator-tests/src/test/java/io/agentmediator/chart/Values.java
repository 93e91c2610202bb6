package io.agentmediator.chart;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chart values built from dotted paths, as {@code --set a.b=c} would, for readable tests. They start as a trial
 * install (demo=true), so that a test of anything else need not bring a policy and a signing key, without which the
 * chart refuses to install; the tests of that refusal set demo back to false.
 */
final class Values {

    private final Map<String, Object> root = new LinkedHashMap<>();

    Values() {
        root.put("demo", true);
    }

    static Values with(String path, Object value) {
        return new Values().and(path, value);
    }

    @SuppressWarnings("unchecked")
    Values and(String path, Object value) {
        String[] parts = path.split("(?<!\\\\)\\.");
        Map<String, Object> node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(unescape(parts[i]), key -> new LinkedHashMap<String, Object>());
        }
        node.put(unescape(parts[parts.length - 1]), value);
        return this;
    }

    /** Every optional part on: monitoring, the dashboard, Strimzi topics and users, the audit trail in SQL, the schema Job. */
    static Values everyOptionalPart() {
        return with("metrics.serviceMonitor.enabled", true)
                .and("schemaRegistry.registerJob.enabled", true)
                .and("metrics.prometheusRule.enabled", true)
                .and("grafanaDashboard.enabled", true)
                .and("strimzi.topics.enabled", true)
                .and("strimzi.users.enabled", true)
                .and("auditSql.enabled", true);
    }

    Map<String, Object> asMap() {
        return root;
    }

    private static String unescape(String part) {
        return part.replace("\\.", ".");
    }
}
