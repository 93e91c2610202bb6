package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SecretsTemplateTest {

    /** Every secret the mediator can be given, each from an existing Secret, with every optional part on. */
    private static Rendered withEverySecret() {
        return Chart.render(Values.everyOptionalPart()
                .and("kafka.securityProtocol", "SASL_SSL")
                .and("kafka.saslMechanism", "SCRAM-SHA-512")
                .and("kafka.saslJaasConfigSecret.name", "agent-mediator")
                .and("kafka.truststoreSecret.name", "my-cluster-cluster-ca-cert")
                .and("kafka.keystoreSecret.name", "agent-mediator-tls")
                .and("schemaRegistry.url", "https://registry.example.com/apis/ccompat/v7")
                .and("schemaRegistry.basicAuthSecret.name", "registry-auth")
                .and("schemaRegistry.truststoreSecret.name", "registry-ca")
                .and("schemaRegistry.keystoreSecret.name", "registry-client-tls")
                .and("signing.existingSecret", "decision-signing")
                .and("http.auth.existingSecret", "mediator-http-tokens")
                .and("policy.document", "id: default\nagents: []\n"));
    }

    @Test
    void shouldWriteNoSecretIntoAnyConfigMap() {
        // Given every secret configured
        Rendered rendered = withEverySecret();

        // When every ConfigMap and the properties are read
        Properties properties = MediatorProperties.of(rendered);

        // Then no property carries a password, a JAAS line or registry credentials, and no ConfigMap names one
        assertThat(properties.stringPropertyNames())
                .noneMatch(key -> key.contains("password") || key.contains("jaas") || key.contains("user.info"));
        for (ConfigMap configMap : rendered.configMaps()) {
            assertThat(configMap.getData().values())
                    .as("ConfigMap %s", configMap.getMetadata().getName())
                    .noneMatch(data -> data.contains("sasl.jaas.config=") || data.contains("password=") || data.contains("user.info="));
        }
        // And the chart renders no Secret of its own
        assertThat(rendered.kinds()).doesNotContain("Secret");
    }

    @Test
    void shouldHandEverySecretValueToThePodFromItsExistingSecret() {
        // Given every secret configured
        Rendered rendered = withEverySecret();
        StatefulSet statefulSet = rendered.statefulSet();
        Container container = StatefulSetTemplateTest.container(statefulSet);

        // Then the values reach the mediator as MEDIATOR_* overrides read from the named Secrets
        assertThat(secretRef(container, "MEDIATOR_SASL_JAAS_CONFIG"))
                .satisfies(ref -> assertRef(ref, "agent-mediator", "sasl.jaas.config"));
        assertThat(secretRef(container, "MEDIATOR_SSL_TRUSTSTORE_PASSWORD"))
                .satisfies(ref -> assertRef(ref, "my-cluster-cluster-ca-cert", "ca.password"));
        assertThat(secretRef(container, "MEDIATOR_SSL_KEYSTORE_PASSWORD"))
                .satisfies(ref -> assertRef(ref, "agent-mediator-tls", "user.password"));
        assertThat(secretRef(container, "MEDIATOR_BASIC_AUTH_USER_INFO"))
                .satisfies(ref -> assertRef(ref, "registry-auth", "user-info"));
        assertThat(secretRef(container, "MEDIATOR_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD"))
                .satisfies(ref -> assertRef(ref, "registry-ca", "truststore.password"));
        assertThat(secretRef(container, "MEDIATOR_SCHEMA_REGISTRY_SSL_KEYSTORE_PASSWORD"))
                .satisfies(ref -> assertRef(ref, "registry-client-tls", "keystore.password"));

        // And files (stores, the signing key) are mounted from their Secrets where the properties point
        Properties properties = MediatorProperties.of(rendered);
        assertSecretFile(statefulSet, properties.getProperty("ssl.truststore.location"), "my-cluster-cluster-ca-cert", "ca.p12");
        assertSecretFile(statefulSet, properties.getProperty("ssl.keystore.location"), "agent-mediator-tls", "user.p12");
        assertSecretFile(statefulSet, properties.getProperty("schema.registry.ssl.truststore.location"), "registry-ca", "truststore.p12");
        assertSecretFile(statefulSet, properties.getProperty("schema.registry.ssl.keystore.location"), "registry-client-tls", "keystore.p12");
        assertThat(properties.getProperty("schema.registry.ssl.keystore.type")).isEqualTo("PKCS12");
        assertSecretFile(statefulSet, properties.getProperty("signing.key.file"), "decision-signing", "signing-key.pem");
        assertThat(properties.getProperty("basic.auth.credentials.source")).isEqualTo("USER_INFO");
    }

    @Test
    void shouldReadThePolicyFromTheConfigMapItNames() {
        // Given an operator's own policy ConfigMap
        Rendered rendered = Chart.render(Values.with("policy.existingConfigMap", "finance-policy").and("policy.key", "policy.yml"));
        StatefulSet statefulSet = rendered.statefulSet();

        // Then the chart renders no policy of its own and policy.file is the mounted key of that ConfigMap
        assertThat(rendered.configMaps()).noneMatch(map -> map.getMetadata().getName().endsWith("-policy"));
        Volume policy = volume(statefulSet, "policy");
        assertThat(policy.getConfigMap().getName()).isEqualTo("finance-policy");
        String mountPath = StatefulSetTemplateTest.mount(StatefulSetTemplateTest.container(statefulSet), "policy").getMountPath();
        assertThat(MediatorProperties.of(rendered).getProperty("policy.file")).isEqualTo(mountPath + "/policy.yml");
        assertThat(policy.getConfigMap().getItems()).singleElement()
                .satisfies(item -> assertThat(item.getKey()).isEqualTo("policy.yml"));
    }

    private static SecretKeySelector secretRef(Container container, String name) {
        EnvVar var = container.getEnv().stream()
                .filter(env -> env.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env var " + name));
        assertThat(var.getValue()).as("%s has no literal value", name).isNull();
        return var.getValueFrom().getSecretKeyRef();
    }

    private static void assertRef(SecretKeySelector ref, String secret, String key) {
        assertThat(ref.getName()).isEqualTo(secret);
        assertThat(ref.getKey()).isEqualTo(key);
    }

    private static void assertSecretFile(StatefulSet statefulSet, String path, String secret, String key) {
        Volume volume = statefulSet.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(candidate -> candidate.getSecret() != null && candidate.getSecret().getSecretName().equals(secret))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume of Secret " + secret));
        String mountPath = StatefulSetTemplateTest.mount(StatefulSetTemplateTest.container(statefulSet), volume.getName()).getMountPath();
        assertThat(path).isEqualTo(mountPath + "/" + key);
        assertThat(volume.getSecret().getItems()).singleElement().satisfies(item -> assertThat(item.getKey()).isEqualTo(key));
    }

    private static Volume volume(StatefulSet statefulSet, String name) {
        return statefulSet.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
