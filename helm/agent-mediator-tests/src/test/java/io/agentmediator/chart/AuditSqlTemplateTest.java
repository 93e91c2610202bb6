package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Strimzi KafkaConnect and KafkaConnectors of the audit trail in SQL, against the repository's connector files. */
class AuditSqlTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
    private static final List<String> FILES = List.of("audit-sql-sink.json", "decisions-sql-sink.json");
    private static final String DLQ = "errors.deadletterqueue.topic.name";

    @Test
    void shouldBuildEachConnectorFromItsFileWithTheTopicsUnderThePrefix() throws IOException {
        // Given the connector files of connectors/config, and a release with its own topic prefix and replication
        Rendered rendered = Chart.render(Values.with("auditSql.enabled", true).and("streams.topicPrefix", "billing.")
                .and("streams.replicationFactor", 2));

        // When the KafkaConnectors are read
        Map<String, JsonNode> connectors = rendered.custom("KafkaConnector").stream()
                .collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> spec(c), (a, b) -> a, TreeMap::new));

        // Then there is one per file, named by it, with its class, tasks and config; only the topics moved under the prefix,
        // the dead-letter topic too, replicated as the release's topics
        assertThat(connectors).containsOnlyKeys("agent-audit-sql", "agent-decisions-sql");
        for (String file : FILES) {
            JsonNode expected = repositoryFile(file);
            JsonNode spec = connectors.get(expected.path("name").asText());
            Map<String, String> config = JSON.convertValue(expected.path("config"), Map.class);
            assertThat(spec.path("class").asText()).isEqualTo(config.remove("connector.class"));
            assertThat(spec.path("tasksMax").asInt()).isEqualTo(Integer.parseInt(config.remove("tasks.max")));
            String topics = config.remove("topics").replace("agent.", "billing.");
            config.put("topics", topics);
            config.put(DLQ, config.get(DLQ).replace("agent.", "billing."));
            config.put("errors.deadletterqueue.topic.replication.factor", "2");
            assertThat(JSON.convertValue(spec.path("config"), Map.class)).isEqualTo(config);
        }
        assertThat(connectors.get("agent-audit-sql").path("config").path("topics").asText()).isEqualTo("billing.audit");
        assertThat(connectors.get("agent-decisions-sql").path("config").path("topics").asText())
                .isEqualTo("billing.decisions.execute,billing.decisions.escalate,billing.decisions.reject");
        assertThat(connectors.get("agent-audit-sql").path("config").path(DLQ).asText()).isEqualTo("billing.audit-sql.dlq");
        assertThat(connectors.get("agent-decisions-sql").path("config").path(DLQ).asText()).isEqualTo("billing.decisions-sql.dlq");
    }

    @Test
    void shouldRunTheConnectorsOnItsOwnConnectClusterWithEveryPlaceholderSet() throws IOException {
        // Given the audit trail in SQL on, with a database Secret of the operator's
        Rendered rendered = Chart.render(Values.with("auditSql.enabled", true).and("auditSql.database.secret", "pg-audit"));

        // When the KafkaConnect is read
        GenericKubernetesResource connect = rendered.custom("KafkaConnect").get(0);
        JsonNode spec = spec(connect);

        // Then the connectors name it as their cluster, and it takes them from KafkaConnector resources
        String name = connect.getMetadata().getName();
        assertThat(name).isEqualTo(Chart.RELEASE + "-agent-mediator-audit-sql");
        assertThat(connect.getMetadata().getAnnotations()).contains(entry("strimzi.io/use-connector-resources", "true"));
        assertThat(rendered.custom("KafkaConnector"))
                .allSatisfy(connector -> assertThat(connector.getMetadata().getLabels()).contains(entry("strimzi.io/cluster", name)));
        // And it reaches the mediator's Kafka, resolves ${env:...} from its environment, and lets the sinks read_committed
        assertThat(spec.path("bootstrapServers").asText()).isEqualTo("my-cluster-kafka-bootstrap:9092");
        assertThat(spec.path("config").path("config.providers").asText()).isEqualTo("env");
        assertThat(spec.path("config").path("connector.client.config.override.policy").asText()).isEqualTo("All");
        // And every placeholder the files use is in the workers' environment, the credentials from the Secret
        Map<String, JsonNode> env = env(rendered);
        Set<String> placeholders = new TreeSet<>();
        for (String file : FILES) {
            placeholders.addAll(placeholders(repositoryFile(file).toString()));
        }
        assertThat(env.keySet()).isEqualTo(placeholders);
        assertThat(env.get("SCHEMA_REGISTRY_URL").path("value").asText()).isEqualTo("http://schema-registry:8081");
        assertThat(env.get("AUDIT_SQL_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("pg-audit");
        assertThat(env.get("AUDIT_SQL_USER").path("valueFrom").path("secretKeyRef").path("key").asText()).isEqualTo("username");
    }

    @Test
    void shouldConnectTheWorkersOverTlsWhenTheMediatorsListenerSpeaksIt() {
        // Given the SASL_SSL listener of docs/OPERATIONS.md's Strimzi install, the mediator trusting the cluster CA, and the
        // Strimzi users on: the workers log in as their KafkaUser on the same listener
        Values tlsListener = Values.with("strimzi.users.enabled", true).and("kafka.bootstrapServers", "my-cluster-kafka-bootstrap:9093")
                .and("kafka.securityProtocol", "SASL_SSL").and("kafka.saslMechanism", "SCRAM-SHA-512")
                .and("kafka.saslJaasConfigSecret.name", "agent-mediator").and("kafka.truststoreSecret.name", "my-cluster-cluster-ca-cert")
                .and("auditSql.enabled", true);

        // When the KafkaConnect is read
        JsonNode spec = spec(Chart.render(tlsListener).custom("KafkaConnect").get(0));

        // Then the workers speak TLS too (without a tls section Strimzi connects them in the clear), trusting the cluster CA
        assertThat(spec.path("bootstrapServers").asText()).isEqualTo("my-cluster-kafka-bootstrap:9093");
        assertThat(spec.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(spec.path("tls").path("trustedCertificates")).singleElement().satisfies(certificate -> {
            assertThat(certificate.path("secretName").asText()).isEqualTo("my-cluster-cluster-ca-cert");
            assertThat(certificate.path("certificate").asText()).isEqualTo("ca.crt");
        });
        // And on the plain listener, none; on a listener of their own, the tls section given
        assertThat(spec(Chart.render(Values.with("auditSql.enabled", true)).custom("KafkaConnect").get(0)).has("tls")).isFalse();
        JsonNode own = spec(Chart.render(Values.with("auditSql.enabled", true).and("kafka.securityProtocol", "SSL")
                .and("auditSql.connect.bootstrapServers", "my-cluster-kafka-bootstrap:9092")).custom("KafkaConnect").get(0));
        assertThat(own.has("tls")).isFalse();
    }

    @Test
    void shouldLetTheWorkersOnlyReadTheAuditTrailAsTheirOwnKafkaUser() {
        // Given the Strimzi users on as well
        Rendered rendered = Chart.render(Values.with("auditSql.enabled", true).and("strimzi.users.enabled", true));

        // When the workers' user and the KafkaConnect's authentication are read
        GenericKubernetesResource user = rendered.custom("KafkaUser").stream()
                .filter(candidate -> candidate.getMetadata().getName().equals("agent-mediator-audit-sql")).findFirst().orElseThrow();
        JsonNode acls = spec(user).path("authorization").path("acls");
        JsonNode authentication = spec(rendered.custom("KafkaConnect").get(0)).path("authentication");

        // Then it reads the audit and decision topics and writes none of them, only its sinks' dead-letter topics
        List<String> onTopics = acls.findParents("operations").stream().filter(acl -> acl.path("resource").path("type").asText().equals("topic"))
                .map(acl -> acl.path("resource").path("name").asText() + " " + acl.path("operations")).toList();
        assertThat(onTopics).containsExactlyInAnyOrder("agent.audit [\"Read\",\"Describe\"]", "agent.decisions. [\"Read\",\"Describe\"]",
                "agent-mediator-audit-sql [\"All\"]", "agent.audit-sql.dlq [\"Write\",\"Create\",\"Describe\"]",
                "agent.decisions-sql.dlq [\"Write\",\"Create\",\"Describe\"]");
        // And may use its sinks' consumer groups, and the workers log in as that user
        assertThat(acls.findValues("name")).extracting(JsonNode::asText).contains("connect-agent-audit-sql", "connect-agent-decisions-sql");
        assertThat(authentication.path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(authentication.path("username").asText()).isEqualTo("agent-mediator-audit-sql");
        assertThat(authentication.path("passwordSecret").path("secretName").asText()).isEqualTo("agent-mediator-audit-sql");
    }

    @Test
    void shouldLayTheOperatorsConnectorKeysOverTheFiles() {
        // Given a key the files do not set, and one they do
        Rendered rendered = Chart.render(Values.with("auditSql.enabled", true)
                .and("auditSql.connectorConfig.batch\\.size", "1000")
                .and("auditSql.connectorConfig.flush\\.max\\.retries", "40"));

        // When the KafkaConnectors are read, then both carry the first and the operator's value of the second
        assertThat(rendered.custom("KafkaConnector")).hasSize(2).allSatisfy(connector -> {
            assertThat(spec(connector).path("config").path("batch.size").asText()).isEqualTo("1000");
            assertThat(spec(connector).path("config").path("flush.max.retries").asText()).isEqualTo("40");
        });
    }

    @Test
    void shouldSendTheMediatorsRegistryCredentialsFromItsSecretWithoutWritingThemDown() {
        // Given the mediator's registry with basic auth from a Secret, which the sinks read too
        Rendered rendered = Chart.render(Values.with("auditSql.enabled", true)
                .and("schemaRegistry.basicAuthSecret.name", "registry-basic-auth"));

        // When the workers' environment and the connectors' config are read
        Map<String, JsonNode> env = env(rendered);
        List<JsonNode> configs = rendered.custom("KafkaConnector").stream().map(connector -> spec(connector).path("config")).toList();

        // Then the workers read user:password from that Secret
        assertThat(env).containsKey("REGISTRY_USER_INFO");
        assertThat(env.get("REGISTRY_USER_INFO").path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("registry-basic-auth");
        assertThat(env.get("REGISTRY_USER_INFO").path("valueFrom").path("secretKeyRef").path("key").asText()).isEqualTo("user-info");
        // And both converters send it, named by its variable only: the KafkaConnectors and Connect's config topic hold no
        // credentials. Without credentials.source USER_INFO the converter takes them from the URL alone and ignores the rest
        assertThat(configs).hasSize(2).allSatisfy(config -> {
            assertThat(config.path("value.converter.basic.auth.credentials.source").asText()).isEqualTo("USER_INFO");
            assertThat(config.path("value.converter.basic.auth.user.info").asText()).isEqualTo("${env:REGISTRY_USER_INFO}");
        });
        // And every placeholder the rendered connectors use is in the workers' environment
        assertThat(env.keySet()).containsAll(placeholders(configs.toString()));
    }

    @Test
    void shouldSendARegistryOfTheSinksOwnOnlyTheirOwnCredentials() {
        // Given the sinks reading a registry of their own, with only the mediator's Secret, then with one of theirs
        Values values = Values.with("auditSql.enabled", true).and("auditSql.schemaRegistryUrl", "https://audit-registry:8081")
                .and("schemaRegistry.basicAuthSecret.name", "registry-basic-auth");
        Rendered mediatorsOnly = Chart.render(values);
        Rendered own = Chart.render(values.and("auditSql.schemaRegistryBasicAuthSecret.name", "audit-registry-auth")
                .and("auditSql.schemaRegistryBasicAuthSecret.key", "credentials"));

        // Then the mediator's credentials are not sent to another registry
        assertThat(env(mediatorsOnly)).doesNotContainKey("REGISTRY_USER_INFO");
        assertThat(mediatorsOnly.custom("KafkaConnector")).hasSize(2)
                .allSatisfy(connector -> assertThat(spec(connector).path("config").has("value.converter.basic.auth.user.info")).isFalse());
        // And the sinks' own are, from their Secret
        assertThat(env(own)).containsKey("REGISTRY_USER_INFO");
        JsonNode secret = env(own).get("REGISTRY_USER_INFO").path("valueFrom").path("secretKeyRef");
        assertThat(secret.path("name").asText()).isEqualTo("audit-registry-auth");
        assertThat(secret.path("key").asText()).isEqualTo("credentials");
        assertThat(own.custom("KafkaConnector")).hasSize(2).allSatisfy(connector -> assertThat(
                spec(connector).path("config").path("value.converter.basic.auth.user.info").asText()).isEqualTo("${env:REGISTRY_USER_INFO}"));
    }

    @Test
    void shouldTrustTheSinksRegistryByTheTruststoreInItsSecretWithoutWritingItsPasswordDown() {
        // Given the sinks reading an https registry of their own, whose private CA is in a JKS truststore of a Secret
        Rendered rendered = Chart.render(Values.with("auditSql.enabled", true).and("auditSql.schemaRegistryUrl", "https://audit-registry:8443")
                .and("auditSql.schemaRegistryTruststoreSecret.name", "audit-registry-ca")
                .and("auditSql.schemaRegistryTruststoreSecret.key", "ca.jks")
                .and("auditSql.schemaRegistryTruststoreSecret.passwordKey", "storepass")
                .and("auditSql.schemaRegistryTruststoreSecret.type", "JKS"));

        // When the workers' volumes and environment and the connectors' config are read
        JsonNode volumes = spec(rendered.custom("KafkaConnect").get(0)).path("externalConfiguration").path("volumes");
        Map<String, JsonNode> env = env(rendered);
        List<JsonNode> configs = rendered.custom("KafkaConnector").stream().map(connector -> spec(connector).path("config")).toList();

        // Then the workers mount the truststore, only it, where Strimzi puts external configuration volumes
        assertThat(volumes).hasSize(1);
        JsonNode secret = volumes.get(0).path("secret");
        assertThat(secret.path("secretName").asText()).isEqualTo("audit-registry-ca");
        assertThat(secret.path("items")).hasSize(1);
        assertThat(secret.path("items").get(0).path("key").asText()).isEqualTo("ca.jks");
        String file = "/opt/kafka/external-configuration/" + volumes.get(0).path("name").asText() + "/"
                + secret.path("items").get(0).path("path").asText();
        // And read its password from the Secret into their environment
        JsonNode password = env.get("REGISTRY_TRUSTSTORE_PASSWORD");
        assertThat(password).isNotNull();
        assertThat(password.path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("audit-registry-ca");
        assertThat(password.path("valueFrom").path("secretKeyRef").path("key").asText()).isEqualTo("storepass");
        // And both connectors' converter (the value's: the key's is a StringConverter) trusts that file, its password named by
        // its variable only, with the keys the registry client reads once Connect strips the value.converter. prefix
        assertThat(configs).hasSize(2).allSatisfy(config -> {
            assertThat(config.path("value.converter.schema.registry.ssl.truststore.location").asText()).isEqualTo(file);
            assertThat(config.path("value.converter.schema.registry.ssl.truststore.password").asText()).isEqualTo("${env:REGISTRY_TRUSTSTORE_PASSWORD}");
            assertThat(config.path("value.converter.schema.registry.ssl.truststore.type").asText()).isEqualTo("JKS");
            assertThat(config.path("key.converter").asText()).isEqualTo("org.apache.kafka.connect.storage.StringConverter");
        });
        assertThat(file).isEqualTo("/opt/kafka/external-configuration/registry-truststore/ca.jks");
        assertThat(env.keySet()).containsAll(placeholders(configs.toString()));
    }

    @Test
    void shouldTrustTheMediatorsRegistryByItsTruststoreOnlyWhenTheSinksReadIt() {
        // Given the mediator's registry trusted by a truststore Secret, the sinks reading it, then a registry of their own
        Rendered mediators = Chart.render(Values.with("auditSql.enabled", true).and("schemaRegistry.truststoreSecret.name", "registry-ca"));
        Rendered own = Chart.render(Values.with("auditSql.enabled", true).and("schemaRegistry.truststoreSecret.name", "registry-ca")
                .and("auditSql.schemaRegistryUrl", "https://audit-registry:8443"));

        // Then reading the mediator's registry, the workers mount the mediator's truststore and the converters trust it
        JsonNode volume = spec(mediators.custom("KafkaConnect").get(0)).path("externalConfiguration").path("volumes").path(0);
        assertThat(volume.path("secret").path("secretName").asText()).isEqualTo("registry-ca");
        assertThat(env(mediators).get("REGISTRY_TRUSTSTORE_PASSWORD").path("valueFrom").path("secretKeyRef").path("key").asText())
                .isEqualTo("truststore.password");
        assertThat(mediators.custom("KafkaConnector")).hasSize(2).allSatisfy(connector -> {
            JsonNode config = spec(connector).path("config");
            assertThat(config.path("value.converter.schema.registry.ssl.truststore.location").asText())
                    .isEqualTo("/opt/kafka/external-configuration/registry-truststore/truststore.p12");
            assertThat(config.path("value.converter.schema.registry.ssl.truststore.type").asText()).isEqualTo("PKCS12");
        });
        // And a registry of the sinks' own is left to the workers' default trust
        assertThat(spec(own.custom("KafkaConnect").get(0)).has("externalConfiguration")).isFalse();
        assertThat(env(own)).doesNotContainKey("REGISTRY_TRUSTSTORE_PASSWORD");
        assertThat(own.custom("KafkaConnector")).hasSize(2).allSatisfy(connector -> assertThat(sslKeys(connector)).isEmpty());
    }

    @Test
    void shouldPresentTheSinksClientCertificateFromItsSecretBesideTheTruststore() {
        // Given the sinks' own registry requiring client certificates: its CA in one Secret, their keystore in another
        Rendered rendered = Chart.render(Values.with("auditSql.enabled", true).and("auditSql.schemaRegistryUrl", "https://audit-registry:8443")
                .and("auditSql.schemaRegistryTruststoreSecret.name", "audit-registry-ca")
                .and("auditSql.schemaRegistryKeystoreSecret.name", "audit-sql-tls")
                .and("auditSql.schemaRegistryKeystoreSecret.key", "user.jks")
                .and("auditSql.schemaRegistryKeystoreSecret.passwordKey", "user.password")
                .and("auditSql.schemaRegistryKeystoreSecret.type", "JKS"));

        // When the workers' volumes and environment and the connectors' config are read
        JsonNode volumes = spec(rendered.custom("KafkaConnect").get(0)).path("externalConfiguration").path("volumes");
        Map<String, JsonNode> env = env(rendered);
        List<JsonNode> configs = rendered.custom("KafkaConnector").stream().map(connector -> spec(connector).path("config")).toList();

        // Then the workers mount both stores, each from its Secret, under volumes of their own
        Map<String, String> secretOfVolume = new TreeMap<>();
        volumes.forEach(volume -> secretOfVolume.put(volume.path("name").asText(), volume.path("secret").path("secretName").asText()));
        assertThat(secretOfVolume).containsExactly(entry("registry-keystore", "audit-sql-tls"), entry("registry-truststore", "audit-registry-ca"));
        // And read the keystore's password from its Secret into their environment
        JsonNode password = env.get("REGISTRY_KEYSTORE_PASSWORD").path("valueFrom").path("secretKeyRef");
        assertThat(password.path("name").asText()).isEqualTo("audit-sql-tls");
        assertThat(password.path("key").asText()).isEqualTo("user.password");
        // And both connectors' converter presents that keystore, its password named by its variable only
        assertThat(configs).hasSize(2).allSatisfy(config -> {
            assertThat(config.path("value.converter.schema.registry.ssl.keystore.location").asText())
                    .isEqualTo("/opt/kafka/external-configuration/registry-keystore/user.jks");
            assertThat(config.path("value.converter.schema.registry.ssl.keystore.password").asText()).isEqualTo("${env:REGISTRY_KEYSTORE_PASSWORD}");
            assertThat(config.path("value.converter.schema.registry.ssl.keystore.type").asText()).isEqualTo("JKS");
            assertThat(config.path("value.converter.schema.registry.ssl.truststore.location").asText())
                    .isEqualTo("/opt/kafka/external-configuration/registry-truststore/truststore.p12");
        });
        assertThat(env.keySet()).containsAll(placeholders(configs.toString()));
    }

    @Test
    void shouldPresentTheMediatorsClientCertificateOnlyToTheMediatorsRegistry() {
        // Given the mediator's client certificate for its registry, the sinks reading that registry, then one of their own
        Rendered mediators = Chart.render(Values.with("auditSql.enabled", true).and("schemaRegistry.keystoreSecret.name", "agent-mediator-registry-tls"));
        Rendered own = Chart.render(Values.with("auditSql.enabled", true).and("schemaRegistry.keystoreSecret.name", "agent-mediator-registry-tls")
                .and("auditSql.schemaRegistryUrl", "https://audit-registry:8443"));

        // Then reading the mediator's registry, the workers mount the mediator's keystore, alone, and the converters present it
        JsonNode volumes = spec(mediators.custom("KafkaConnect").get(0)).path("externalConfiguration").path("volumes");
        assertThat(volumes).hasSize(1);
        assertThat(volumes.get(0).path("name").asText()).isEqualTo("registry-keystore");
        assertThat(volumes.get(0).path("secret").path("secretName").asText()).isEqualTo("agent-mediator-registry-tls");
        assertThat(env(mediators).get("REGISTRY_KEYSTORE_PASSWORD").path("valueFrom").path("secretKeyRef").path("key").asText())
                .isEqualTo("keystore.password");
        assertThat(mediators.custom("KafkaConnector")).hasSize(2).allSatisfy(connector -> assertThat(sslKeys(connector)).containsExactlyInAnyOrder(
                "value.converter.schema.registry.ssl.keystore.location", "value.converter.schema.registry.ssl.keystore.password",
                "value.converter.schema.registry.ssl.keystore.type"));
        // And a registry of the sinks' own is never handed the mediator's certificate
        assertThat(spec(own.custom("KafkaConnect").get(0)).has("externalConfiguration")).isFalse();
        assertThat(env(own)).doesNotContainKey("REGISTRY_KEYSTORE_PASSWORD");
        assertThat(own.custom("KafkaConnector")).hasSize(2).allSatisfy(connector -> assertThat(sslKeys(connector)).isEmpty());
    }

    @Test
    void shouldRenderTheWorkersAndConnectorsAsBeforeWithoutARegistryTruststore() {
        // Given no truststore Secret named, once with the defaults and once with every other field of it changed
        Rendered defaults = Chart.render(Values.with("auditSql.enabled", true));
        Rendered unnamed = Chart.render(Values.with("auditSql.enabled", true)
                .and("auditSql.schemaRegistryTruststoreSecret.key", "ca.jks")
                .and("auditSql.schemaRegistryTruststoreSecret.passwordKey", "storepass")
                .and("auditSql.schemaRegistryTruststoreSecret.type", "JKS")
                .and("auditSql.schemaRegistryKeystoreSecret.key", "user.jks")
                .and("auditSql.schemaRegistryKeystoreSecret.passwordKey", "user.password")
                .and("auditSql.schemaRegistryKeystoreSecret.type", "JKS"));

        // When the KafkaConnect and the KafkaConnectors are read
        GenericKubernetesResource connect = defaults.custom("KafkaConnect").get(0);

        // Then the workers get no volume, no variable and no other field than they had, the converters no TLS key
        List<String> fields = new ArrayList<>();
        spec(connect).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("replicas", "bootstrapServers", "config", "metricsConfig", "template");
        assertThat(env(defaults).keySet()).containsExactlyInAnyOrder("SCHEMA_REGISTRY_URL", "AUDIT_SQL_JDBC_URL", "AUDIT_SQL_USER", "AUDIT_SQL_PASSWORD");
        assertThat(defaults.custom("KafkaConnector")).hasSize(2).allSatisfy(connector -> assertThat(sslKeys(connector)).isEmpty());
        // And the fields of a Secret not named change nothing
        assertThat(tree(unnamed, "KafkaConnect")).isEqualTo(tree(defaults, "KafkaConnect"));
        assertThat(tree(unnamed, "KafkaConnector")).isEqualTo(tree(defaults, "KafkaConnector"));
    }

    /** The rendered resources of a kind, as one tree to compare. */
    private static JsonNode tree(Rendered rendered, String kind) {
        return JSON.valueToTree(rendered.custom(kind));
    }

    /** The keys of a connector's config that configure TLS. */
    private static List<String> sslKeys(GenericKubernetesResource connector) {
        List<String> keys = new ArrayList<>();
        spec(connector).path("config").fieldNames().forEachRemaining(key -> {
            if (key.contains(".ssl.")) {
                keys.add(key);
            }
        });
        return keys;
    }

    @Test
    void shouldExportTheWorkersMetricsItsAlertsReadAndScrapeThem() throws IOException {
        // Given the audit trail in SQL on, with the Prometheus Operator's monitors
        Rendered rendered = Chart.render(Values.with("auditSql.enabled", true).and("metrics.serviceMonitor.enabled", true));

        // When the KafkaConnect's metrics configuration, its ConfigMap and the PodMonitor are read
        GenericKubernetesResource connect = rendered.custom("KafkaConnect").get(0);
        JsonNode metrics = spec(connect).path("metricsConfig");
        JsonNode reference = metrics.path("valueFrom").path("configMapKeyRef");
        ConfigMap rules = rendered.configMap(reference.path("name").asText());
        JsonNode podMonitor = spec(rendered.custom("PodMonitor").get(0));

        // Then the workers run the JMX exporter with the rules of metrics/, as they are
        assertThat(metrics.path("type").asText()).isEqualTo("jmxPrometheusExporter");
        assertThat(rules.getData().get(reference.path("key").asText())).isEqualTo(Chart.file("metrics/connect-jmx-exporter.yaml").stripTrailing());
        // And the PodMonitor scrapes the pods Strimzi makes for that KafkaConnect, on the port it opens for them
        assertThat(JSON.convertValue(podMonitor.path("selector").path("matchLabels"), Map.class)).isEqualTo(
                Map.of("strimzi.io/cluster", connect.getMetadata().getName(), "strimzi.io/kind", "KafkaConnect"));
        assertThat(podMonitor.path("podMetricsEndpoints").get(0).path("port").asText()).isEqualTo("tcp-prometheus");
    }

    @Test
    void shouldAskStrimziToRestartFailedSinkTasksUnlessTurnedOff() {
        // Given the audit trail in SQL with the chart's defaults, with a limit on restarts, and with restarts off
        Rendered defaults = Chart.render(Values.with("auditSql.enabled", true));
        Rendered limited = Chart.render(Values.with("auditSql.enabled", true).and("auditSql.autoRestart.maxRestarts", 5));
        Rendered off = Chart.render(Values.with("auditSql.enabled", true).and("auditSql.autoRestart.enabled", false));

        // When the KafkaConnectors are read, then by default Strimzi restarts both sinks' failed tasks without a limit
        assertThat(defaults.custom("KafkaConnector")).hasSize(2).allSatisfy(connector -> {
            assertThat(spec(connector).path("autoRestart").path("enabled").asBoolean()).isTrue();
            assertThat(spec(connector).path("autoRestart").has("maxRestarts")).isFalse();
        });
        // And a limit is passed on, and off leaves restarts to the operator
        assertThat(limited.custom("KafkaConnector")).hasSize(2)
                .allSatisfy(connector -> assertThat(spec(connector).path("autoRestart").path("maxRestarts").asInt()).isEqualTo(5));
        assertThat(off.custom("KafkaConnector")).hasSize(2).allSatisfy(connector -> assertThat(spec(connector).has("autoRestart")).isFalse());
    }

    @Test
    void shouldCarryTheSinksAlertsOnlyWithTheAuditTrailInSql() {
        // Given the PrometheusRule on, the audit trail in SQL off, then on
        Values off = Values.with("metrics.prometheusRule.enabled", true);
        Values on = Values.with("metrics.prometheusRule.enabled", true).and("auditSql.enabled", true);

        // When the rule groups are read
        List<String> without = groups(Chart.render(off));
        List<String> with = groups(Chart.render(on));

        // Then the sinks' group is there only with the sinks, which alone export what it reads
        assertThat(without).isNotEmpty().doesNotContain("agent-mediator.audit-sql");
        assertThat(with).contains("agent-mediator.audit-sql").containsAll(without);
    }

    private static List<String> groups(Rendered rendered) {
        List<String> names = new ArrayList<>();
        spec(rendered.custom("PrometheusRule").get(0)).path("groups").forEach(group -> names.add(group.path("name").asText()));
        return names;
    }

    /** The Connect workers' environment variables, by name. */
    private static Map<String, JsonNode> env(Rendered rendered) {
        Map<String, JsonNode> env = new TreeMap<>();
        spec(rendered.custom("KafkaConnect").get(0)).path("template").path("connectContainer").path("env")
                .forEach(variable -> env.put(variable.path("name").asText(), variable));
        return env;
    }

    /** The variables that ${env:NAME} placeholders name in a text. */
    private static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static JsonNode spec(GenericKubernetesResource resource) {
        return JSON.valueToTree(resource.getAdditionalProperties().get("spec"));
    }

    /** The file in the repository's connectors/config, read there rather than through the chart's link to it. */
    private static JsonNode repositoryFile(String name) throws IOException {
        Path file = Chart.directory().resolve("../../connectors/config").resolve(name).normalize();
        return JSON.readTree(file.toFile());
    }
}
