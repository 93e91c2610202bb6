package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ChartLintTest {

    @Test
    void shouldPassHelmLintStrict() {
        // Given the chart as committed
        // When helm lint --strict examines it
        LintResult result = Chart.lintStrict();

        // Then it finds neither errors nor warnings
        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void shouldCarryTheProjectVersionAsAppVersion() throws IOException {
        // Given the project version Maven builds
        String projectVersion = System.getProperty("project.version");
        assertThat(projectVersion).as("surefire passes project.version").isNotBlank();

        // When Chart.yaml is read
        JsonNode chart = new YAMLMapper().readTree(Chart.file("Chart.yaml"));

        // Then the image the chart runs by default is the one this build makes
        assertThat(chart.path("appVersion").asText()).isEqualTo(projectVersion);
    }
}
