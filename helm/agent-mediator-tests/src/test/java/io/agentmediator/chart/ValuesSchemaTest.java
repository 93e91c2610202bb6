package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValuesSchemaTest {

    @Test
    void shouldRefuseAValueOfTheWrongType() {
        // Given replicas written as a word
        Values values = Values.with("replicas", "three");

        // When the chart is rendered, then values.schema.json refuses it, naming the key
        assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("replicas");
    }

    @Test
    void shouldRefuseAnUnknownKey() {
        // Given a misspelt key that would otherwise be silently ignored
        Values values = Values.with("persistence.sise", "50Gi");

        // When the chart is rendered, then it is refused, naming the key
        assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("sise");
    }

    @Test
    void shouldRefuseASecretInThePlainConfiguration() {
        // Given a JAAS line put among the plain properties, where it would land in a ConfigMap
        Values values = Values.with("config.sasl\\.jaas\\.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");

        // When the chart is rendered, then it is refused
        assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("sasl.jaas.config");
    }

    @Test
    void shouldRefuseOverridingAKeyTheChartSets() {
        // Given state.dir set a second time through config, away from the mounted volume
        Values values = Values.with("config.state\\.dir", "/tmp/state");

        // When the chart is rendered, then it is refused
        assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("state.dir");
    }

    @Test
    void shouldRefuseAnInMemoryRegistryThatPodsCannotShare() {
        // Given the embedded default of the mediator, an in-memory registry per JVM
        Values values = Values.with("schemaRegistry.url", "mock://agent-mediator");

        // When the chart is rendered, then it is refused
        assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("schemaRegistry");
    }
}
