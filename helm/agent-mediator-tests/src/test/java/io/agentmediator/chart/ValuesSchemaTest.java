package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThatCode;
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
    void shouldRefuseTokenFilesOutsideTheAuthSecret() {
        // Given a token file set through config: a second line after the chart's own (http.auth.existingSecret), which Java's
        // properties let win, pointing the endpoints' tokens away from the mounted Secret
        for (String role : new String[] {"metrics", "approver", "operator", "instance"}) {
            String key = "http.auth." + role + ".tokens.file";
            Values values = Values.with("config." + key.replace(".", "\\."), "/tmp/tokens");

            // When the chart is rendered, then it is refused, naming the key
            assertThatThrownBy(() -> Chart.render(values)).as(key).hasMessageContaining(key);
        }
    }

    @Test
    void shouldRefuseAnIdentityEveryPodWouldShare() {
        // Given a static member id, the mediator's instance id, or the host queries are relayed to, set through config: the
        // one mediator.properties every pod reads, where each pod needs its own (they fenced each other, or every query
        // went to one pod)
        for (String key : new String[] {"group.instance.id", "instance.id", "application.server"}) {
            Values values = Values.with("config." + key.replace(".", "\\."), "mediator:8080");

            // When the chart is rendered, then it is refused, naming the key
            assertThatThrownBy(() -> Chart.render(values)).as(key).hasMessageContaining(key);
        }
    }

    @Test
    void shouldRefuseAnInMemoryRegistryThatPodsCannotShare() {
        // Given the embedded default of the mediator, an in-memory registry per JVM
        Values values = Values.with("schemaRegistry.url", "mock://agent-mediator");

        // When the chart is rendered, then it is refused
        assertThatThrownBy(() -> Chart.render(values)).hasMessageContaining("schemaRegistry");
    }

    @Test
    void shouldRefuseAMalformedRegistryTruststoreOfTheSqlSinks() {
        // Given the sinks' registry truststore as a JKS file, then as a PEM certificate, then under a key no Secret can hold
        Values jks = Values.with("auditSql.enabled", true).and("auditSql.schemaRegistryTruststoreSecret.name", "audit-registry-ca")
                .and("auditSql.schemaRegistryTruststoreSecret.type", "JKS");
        Values pem = Values.with("auditSql.enabled", true).and("auditSql.schemaRegistryTruststoreSecret.name", "audit-registry-ca")
                .and("auditSql.schemaRegistryTruststoreSecret.type", "PEM");
        Values path = Values.with("auditSql.enabled", true).and("auditSql.schemaRegistryTruststoreSecret.name", "audit-registry-ca")
                .and("auditSql.schemaRegistryTruststoreSecret.key", "certs/ca.p12");

        // When the chart is rendered, then the first is taken, and the others refused, naming the field: the converter's
        // registry client loads a KeyStore of the type, which the JDK has not for PEM, and a key is a file name in the mount
        assertThatCode(() -> Chart.render(jks)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Chart.render(pem)).hasMessageContaining("schemaRegistryTruststoreSecret").hasMessageContaining("type");
        assertThatThrownBy(() -> Chart.render(path)).hasMessageContaining("schemaRegistryTruststoreSecret").hasMessageContaining("key");
    }
}
