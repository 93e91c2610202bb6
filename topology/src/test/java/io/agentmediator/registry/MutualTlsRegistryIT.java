package io.agentmediator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.embedded.EmbeddedSchemaRegistry;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.testing.CommittedDecisions;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.testing.MutualTlsProxy;
import io.agentmediator.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar against a schema registry behind mutual TLS, configured as the chart configures a pod: the stores'
 * locations in the properties, their passwords in {@code MEDIATOR_*} variables read from Secrets.
 */
@Tag("slow")
class MutualTlsRegistryIT {

    private static final String PASSWORD = TestCertificates.PASSWORD;

    @TempDir Path dir;

    @Test
    void shouldDecideThroughARegistryThatRequiresTheClientCertificateOnlyOnceItIsGiven() throws Exception {
        TestCertificates certificates = TestCertificates.generate(Files.createDirectories(dir.resolve("tls")));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                EmbeddedSchemaRegistry backend = EmbeddedSchemaRegistry.start(0);
                MutualTlsProxy registry = MutualTlsProxy.start(
                        certificates.serverKeystore(), certificates.serverTruststore(), PASSWORD, backend.url())) {
            // The agent's own client registers its schema with the registry directly
            Topics agents = new Topics("agent.", HttpSchemaRegistryClient.create(backend.url(), Map.of()));
            Map<String, String> trusting = new LinkedHashMap<>(Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "application.id", "mutual-tls-registry-it",
                    "schema.registry.url", registry.url(),
                    "schema.registry.ssl.truststore.location", certificates.clientTruststore().toString(),
                    "schema.registry.ssl.truststore.type", "PKCS12"));

            // Given a mediator that trusts the registry but has no client certificate for it
            trusting.put("state.dir", Files.createDirectories(dir.resolve("state-without")).toString());
            try (MediatorProcess without = MediatorProcess.launch(dir, "mutual-tls-without", trusting,
                    Map.of("MEDIATOR_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD", PASSWORD))) {
                without.awaitListening(Duration.ofSeconds(90));
                try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                    producer.send(IntentRecords.overAuthorityInvoice(agents, "mtls-1", Instant.now())).get();
                }

                // Then the registry refuses it: nothing is decided, readiness says so, and no request of its was answered
                List<?> decided = KafkaTestClients.readCommitted(broker.bootstrapServers(), decisionTopics(agents), 1, Duration.ofSeconds(20));
                assertThat(registry.answeredClients()).isEmpty();
                assertThat(decided).as("decisions without a client certificate").isEmpty();
                assertThat(without.status("/health/ready")).isEqualTo(503);
            }

            // When the keystore is given as the chart gives it: its location a property, its password a variable
            Map<String, String> presenting = new LinkedHashMap<>(trusting);
            presenting.put("state.dir", Files.createDirectories(dir.resolve("state-with")).toString());
            presenting.put("schema.registry.ssl.keystore.location", certificates.clientKeystore().toString());
            presenting.put("schema.registry.ssl.keystore.type", "PKCS12");
            try (MediatorProcess with = MediatorProcess.start(dir, "mutual-tls-with", presenting, Map.of(
                    "MEDIATOR_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD", PASSWORD,
                    "MEDIATOR_SCHEMA_REGISTRY_SSL_KEYSTORE_PASSWORD", PASSWORD))) {

                // Then the waiting intent is decided, once, through the registry, which answered that certificate alone
                List<Decision> decisions = CommittedDecisions.read(broker.bootstrapServers(), agents, 1, Duration.ofSeconds(90));
                assertThat(decisions).singleElement().satisfies(decision -> {
                    assertThat(decision.getIntentId()).isEqualTo("mtls-1");
                    assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
                });
                assertThat(registry.answeredClients()).isNotEmpty().containsOnly("CN=client");
                assertThat(with.status("/health/ready")).isEqualTo(200);
            }
        }
    }

    private static List<String> decisionTopics(Topics topics) {
        return topics.decisions().stream().map(topic -> topic.name()).toList();
    }
}
