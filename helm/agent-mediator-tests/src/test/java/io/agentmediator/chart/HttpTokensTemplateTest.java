package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.config.ConfigKeys;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The HTTP bearer tokens come from an existing Secret: mounted as files, named in the properties, sent by Prometheus. */
class HttpTokensTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldMountEveryRolesTokensFromTheSecretWhereThePropertiesPoint() {
        // Given the tokens Secret, and the ServiceMonitor on
        Rendered rendered = Chart.render(Values.with("http.auth.existingSecret", "mediator-http-tokens")
                .and("metrics.serviceMonitor.enabled", true));
        StatefulSet statefulSet = rendered.statefulSet();
        Properties properties = MediatorProperties.of(rendered);

        // Then each role's file is a key of that Secret, mounted read-only where its property points
        Volume tokens = statefulSet.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getSecret() != null && "mediator-http-tokens".equals(volume.getSecret().getSecretName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume of the tokens Secret"));
        String mountPath = StatefulSetTemplateTest.mount(StatefulSetTemplateTest.container(statefulSet), tokens.getName()).getMountPath();
        assertThat(tokens.getSecret().getItems()).extracting(KeyToPath::getKey)
                .containsExactlyInAnyOrder("metrics", "approvers", "operators", "instance");
        assertThat(properties.getProperty(ConfigKeys.HTTP_AUTH_METRICS_TOKENS_FILE.name())).isEqualTo(mountPath + "/metrics");
        assertThat(properties.getProperty(ConfigKeys.HTTP_AUTH_APPROVER_TOKENS_FILE.name())).isEqualTo(mountPath + "/approvers");
        assertThat(properties.getProperty(ConfigKeys.HTTP_AUTH_OPERATOR_TOKENS_FILE.name())).isEqualTo(mountPath + "/operators");
        assertThat(properties.getProperty(ConfigKeys.HTTP_AUTH_INSTANCE_TOKENS_FILE.name())).isEqualTo(mountPath + "/instance");

        // And Prometheus scrapes with the metrics token from the same Secret
        JsonNode endpoint = JSON.valueToTree(rendered.custom("ServiceMonitor").get(0).getAdditionalProperties().get("spec"))
                .path("endpoints").get(0);
        assertThat(endpoint.path("authorization").path("type").asText()).isEqualTo("Bearer");
        assertThat(endpoint.path("authorization").path("credentials").path("name").asText()).isEqualTo("mediator-http-tokens");
        assertThat(endpoint.path("authorization").path("credentials").path("key").asText()).isEqualTo("metrics");
    }

    @Test
    void shouldPrintQueriesThatSendAnOperatorsTokenFromTheSecret() {
        // Given the tokens Secret, the operators' under a key of the operator's choosing
        String notes = Chart.notes(Values.with("http.auth.existingSecret", "mediator-http-tokens").and("http.auth.keys.operator", "ops"));

        // When the notes' curl lines are read
        List<String> curls = notes.lines().map(String::strip).filter(line -> line.startsWith("curl ")).toList();

        // Then they read the first operator token from that Secret (an operator's reads the queries and /metrics), and
        // every query and /metrics sends it: pasted without, each answers 401
        assertThat(notes).contains(
                "TOKEN=$(kubectl -n agents get secret mediator-http-tokens -o jsonpath='{.data.ops}' | base64 -d | head -1)");
        assertThat(curls).hasSize(5).filteredOn(line -> !line.contains("/health/"))
                .hasSize(4).allSatisfy(line -> assertThat(line).startsWith("curl -s -H \"Authorization: Bearer $TOKEN\" localhost:8080/"));
        // And the health check sends none: /health/* stays open for the probes
        assertThat(curls).filteredOn(line -> line.contains("/health/")).singleElement()
                .isEqualTo("curl -s localhost:8080/health/ready");
        // And a key with a dot is escaped, or kubectl's jsonpath would read it as a path
        assertThat(Chart.notes(Values.with("http.auth.existingSecret", "mediator-http-tokens").and("http.auth.keys.operator", "operators.txt")))
                .contains("jsonpath='{.data.operators\\.txt}'");
    }

    @Test
    void shouldLeaveTheEndpointsOpenWithoutASecretAsTheDefaultDocuments() {
        // Given no tokens Secret
        Rendered rendered = Chart.render(Values.with("metrics.serviceMonitor.enabled", true));

        // Then no token file is configured, nothing is mounted for them, and Prometheus sends no token
        assertThat(MediatorProperties.of(rendered).stringPropertyNames()).noneMatch(key -> key.startsWith("http.auth."));
        assertThat(rendered.statefulSet().getSpec().getTemplate().getSpec().getVolumes()).noneMatch(volume -> volume.getName().equals("http-tokens"));
        JsonNode endpoint = JSON.valueToTree(rendered.custom("ServiceMonitor").get(0).getAdditionalProperties().get("spec"))
                .path("endpoints").get(0);
        assertThat(endpoint.has("authorization")).isFalse();
        // And the notes' queries send no token either
        assertThat(Chart.notes(new Values())).contains("curl -s localhost:8080/escalations").doesNotContain("Authorization", "TOKEN");
    }
}
