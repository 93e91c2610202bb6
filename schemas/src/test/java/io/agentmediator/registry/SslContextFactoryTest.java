package io.agentmediator.registry;

import static io.agentmediator.registry.TestCertificates.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.schema.Approval;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS settings, from loading the stores up to talking to an HTTPS registry with them. */
class SslContextFactoryTest {

    @TempDir
    static Path dir;
    private static TestCertificates certificates;

    @BeforeAll
    static void generateCertificates() throws IOException, InterruptedException {
        certificates = TestCertificates.generate(dir);
    }

    @Test
    void shouldLeaveTheJvmDefaultsAloneWhenNoStoreIsConfigured() {
        // When / Then
        assertThat(SslContextFactory.fromConfig(Map.of("unrelated", "x"))).isEmpty();
    }

    @Test
    void shouldLoadAPkcs12Truststore() {
        // Given
        Map<String, ?> config = Map.of(
                "schema.registry.ssl.truststore.location", certificates.clientTruststore().toString(),
                "schema.registry.ssl.truststore.password", PASSWORD,
                "schema.registry.ssl.truststore.type", "PKCS12");

        // When / Then
        assertThat(SslContextFactory.fromConfig(config)).get().extracting(SSLContext::getProtocol).isEqualTo("TLS");
    }

    @Test
    void shouldReadAPkcs12StoreUnderTheDefaultJksType() {
        // Given no store type, so Kafka's default JKS applies
        Map<String, ?> config = Map.of(
                "schema.registry.ssl.truststore.location", certificates.clientTruststore().toString(),
                "schema.registry.ssl.truststore.password", PASSWORD);

        // When / Then
        assertThat(SslContextFactory.fromConfig(config)).isPresent();
    }

    @Test
    void shouldNameTheStoreThatCannotBeLoaded() {
        // Given
        Map<String, ?> config = Map.of(
                "schema.registry.ssl.truststore.location", certificates.clientTruststore().toString(),
                "schema.registry.ssl.truststore.password", "wrong");

        // When / Then
        assertThatThrownBy(() -> SslContextFactory.fromConfig(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.location=" + certificates.clientTruststore())
                .hasMessageContaining("password");
    }

    @Test
    void shouldRequireAPasswordForTheClientKey() {
        // Given
        Map<String, ?> config = Map.of(
                "schema.registry.ssl.keystore.location", certificates.clientKeystore().toString(),
                "schema.registry.ssl.keystore.type", "PKCS12");

        // When / Then
        assertThatThrownBy(() -> SslContextFactory.fromConfig(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.registry.ssl.key.password");
    }

    @Test
    void shouldTalkToAnHttpsRegistryWhoseCertificateIsTrusted() throws IOException {
        // Given
        try (FakeSchemaRegistryServer registry = FakeSchemaRegistryServer.https(serverTls(false), false)) {
            SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of(
                    "schema.registry.ssl.truststore.location", certificates.clientTruststore().toString(),
                    "schema.registry.ssl.truststore.password", PASSWORD));

            // When
            int id = client.register("agent.approvals-value", Approval.getClassSchema());

            // Then
            assertThat(client.schemaById(id)).isEqualTo(Approval.getClassSchema());
        }
    }

    @Test
    void shouldReportAnUntrustedRegistryCertificateAsUnavailable() throws IOException {
        // Given a client that only trusts the JVM's default authorities
        try (FakeSchemaRegistryServer registry = FakeSchemaRegistryServer.https(serverTls(false), false)) {
            SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

            // When / Then
            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("SSLHandshakeException");
        }
    }

    @Test
    void shouldPresentTheClientCertificateToARegistryThatRequiresOne() throws IOException {
        // Given
        try (FakeSchemaRegistryServer registry = FakeSchemaRegistryServer.https(serverTls(true), true)) {
            SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of(
                    "schema.registry.ssl.truststore.location", certificates.clientTruststore().toString(),
                    "schema.registry.ssl.truststore.password", PASSWORD,
                    "schema.registry.ssl.keystore.location", certificates.clientKeystore().toString(),
                    "schema.registry.ssl.keystore.password", PASSWORD,
                    "schema.registry.ssl.keystore.type", "PKCS12"));

            // When
            int id = client.register("agent.approvals-value", Approval.getClassSchema());

            // Then
            assertThat(id).isEqualTo(1);
        }
    }

    /** The fake registry's side, built with the class under test from the server's stores. */
    private static SSLContext serverTls(boolean requireClientCertificate) {
        Map<String, String> config = requireClientCertificate
                ? Map.of("schema.registry.ssl.keystore.location", certificates.serverKeystore().toString(),
                        "schema.registry.ssl.keystore.password", PASSWORD,
                        "schema.registry.ssl.truststore.location", certificates.serverTruststore().toString(),
                        "schema.registry.ssl.truststore.password", PASSWORD)
                : Map.of("schema.registry.ssl.keystore.location", certificates.serverKeystore().toString(),
                        "schema.registry.ssl.keystore.password", PASSWORD);
        return SslContextFactory.fromConfig(config).orElseThrow();
    }
}
