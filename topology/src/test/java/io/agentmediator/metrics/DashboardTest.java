package io.agentmediator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.testing.OperationsFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard the Helm chart ships: data source from a variable, and the panels SREs were promised. */
class DashboardTest {

    private final JsonNode dashboard = OperationsFiles.dashboard();

    @Test
    void shouldTakeItsDataSourceFromAVariableEverywhere() {
        JsonNode variables = dashboard.get("templating").get("list");
        assertThat(variables).anySatisfy(variable -> {
            assertThat(variable.get("name").asText()).isEqualTo("datasource");
            assertThat(variable.get("type").asText()).isEqualTo("datasource");
            assertThat(variable.get("query").asText()).isEqualTo("prometheus");
        });
        List<JsonNode> dataSources = new ArrayList<>();
        dashboard.get("panels").forEach(panel -> {
            if (!panel.get("type").asText().equals("row")) {
                dataSources.add(panel.get("datasource"));
                panel.get("targets").forEach(target -> dataSources.add(target.get("datasource")));
            }
        });
        variables.forEach(variable -> {
            if (variable.has("datasource")) {
                dataSources.add(variable.get("datasource"));
            }
        });
        assertThat(dataSources).isNotEmpty().allSatisfy(source -> assertThat(source.get("uid").asText()).isEqualTo("${datasource}"));
    }

    @Test
    void shouldShowBudgetsDecisionsEscalationsLatencyDeadLettersAndLag() {
        List<String> queries = OperationsFiles.dashboardQueries();

        assertThat(queries).anyMatch(q -> q.contains("mediator_budget_utilisation_ratio") && q.contains("by (agent, window)"));
        assertThat(queries).anyMatch(q -> q.contains("mediator_decisions_total") && q.contains("by (outcome, reason)"));
        assertThat(queries).anyMatch(q -> q.contains("mediator_escalations_open") && q.contains("by (tier)"));
        assertThat(queries).anyMatch(q -> q.contains("mediator_escalation_oldest_age_seconds"));
        assertThat(queries).anyMatch(q -> q.startsWith("histogram_quantile(0.99") && q.contains("mediator_decision_latency_seconds_bucket"));
        assertThat(queries).anyMatch(q -> q.contains("mediator_dead_letters_total"));
        assertThat(queries).anyMatch(q -> q.contains("records_lag"));
    }

    @Test
    void shouldShowOneDeploymentAtATimeWhereSeveralShareAPrometheus() {
        // Given the variables that choose a deployment
        JsonNode variables = dashboard.get("templating").get("list");
        assertThat(variables).anySatisfy(variable -> {
            assertThat(variable.get("name").asText()).isEqualTo("namespace");
            assertThat(variable.get("includeAll").asBoolean()).isFalse();
        });
        assertThat(variables).anySatisfy(variable -> {
            assertThat(variable.get("name").asText()).isEqualTo("job");
            assertThat(variable.get("includeAll").asBoolean()).isFalse();
        });

        // Then every series each panel reads, and the agents to choose from, are of the chosen deployment
        List<String> queries = OperationsFiles.dashboardQueries().stream()
                .filter(query -> !query.endsWith(", namespace)") && !query.endsWith(", job)")).toList();
        assertThat(queries).hasSizeGreaterThan(20).allSatisfy(query -> {
            Matcher series = Pattern.compile("\\b(?:mediator|kafka|jvm)_\\w+").matcher(query);
            while (series.find()) {
                assertThat(query.substring(series.end())).as(query).startsWith("{namespace=~\"$namespace\", job=~\"$job\"");
            }
        });
    }

    @Test
    void shouldDrawEachAgentsWarnAtAsTheDashedLineItsPanelDescribes() {
        JsonNode panel = panelTitled("Budget utilisation by agent and window");
        assertThat(panel.get("description").asText()).contains("the dashed line is each agent's warnAt");
        String warnAt = null;
        for (JsonNode target : panel.get("targets")) {
            if (target.get("expr").asText().contains("mediator_budget_warn_ratio")) {
                warnAt = target.get("refId").asText();
            }
        }
        assertThat(warnAt).isNotNull();
        String refId = warnAt;
        assertThat(panel.get("fieldConfig").get("overrides")).anySatisfy(override -> {
            assertThat(override.get("matcher").get("id").asText()).isEqualTo("byFrameRefID");
            assertThat(override.get("matcher").get("options").asText()).isEqualTo(refId);
            assertThat(override.get("properties")).anySatisfy(property -> {
                assertThat(property.get("id").asText()).isEqualTo("custom.lineStyle");
                assertThat(property.get("value").get("fill").asText()).isEqualTo("dash");
            });
        });
    }

    private JsonNode panelTitled(String title) {
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.get("title").asText().equals(title)) {
                return panel;
            }
        }
        throw new AssertionError("no panel \"" + title + "\"");
    }

    @Test
    void shouldFindTheMetricNamesInQueriesButNotLabelsOrQuotedValues() {
        assertThat(OperationsFiles.metricNames(List.of(
                "max by (client_id) (kafka_consumer_fetch_manager_records_lag_max{client_id=~\".*-StreamThread-[0-9]+-consumer\"})",
                "sum by (source_topic) (increase(mediator_dead_letters_total{source_topic=\"mediator_not_a_metric\"}[5m]))")))
                .containsExactly("kafka_consumer_fetch_manager_records_lag_max", "mediator_dead_letters_total");
    }
}
