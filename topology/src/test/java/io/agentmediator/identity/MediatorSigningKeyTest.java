package io.agentmediator.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.agentmediator.testing.CapturedLog;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.signing.DecisionSigner;
import io.agentmediator.signing.DecisionVerifier;
import io.agentmediator.signing.Ed25519Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediatorSigningKeyTest {

    /** RFC 8032 test 1's secret key as PKCS#8, and what follows from it (see docs/SIGNING.md). */
    private static final String PKCS8 = "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g";
    private static final String PUBLIC_KEY = "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    private static final String FINGERPRINT = "06e3fd8fda29bb60";

    @TempDir
    Path dir;

    @Test
    void shouldMakeAnEphemeralKeyAndSayItsPublicKeyWhenNoFileIsGiven() {
        try (CapturedLog log = new CapturedLog(MediatorSigningKey.class)) {
            // When
            DecisionSigner signer = MediatorSigningKey.load("", " ");

            // Then
            String publicKey = Ed25519Keys.toBase64(signer.publicKey());
            assertThat(signer.keyId()).isEqualTo(Ed25519Keys.fingerprint(signer.publicKey()));
            assertThat(log.messages(Level.INFO)).singleElement().asString()
                    .contains("EPHEMERAL", "key id " + signer.keyId(), "public key " + publicKey);
            assertThat(new DecisionVerifier().verify(signer.sign(decision()), Ed25519Keys.publicKeyFromBase64(publicKey)))
                    .isTrue();
        }
    }

    @Test
    void shouldMakeANewEphemeralKeyEachTimeUnderTheGivenKeyId() {
        // When
        DecisionSigner first = MediatorSigningKey.load(null, "demo");
        DecisionSigner second = MediatorSigningKey.load(null, "demo");

        // Then
        assertThat(first.keyId()).isEqualTo("demo");
        assertThat(first.publicKey()).isNotEqualTo(second.publicKey());
    }

    @Test
    void shouldLoadAPemFileWithItsFingerprintAsKeyId() throws IOException {
        // Given the file `openssl genpkey -algorithm ed25519 -out mediator.pem` writes
        Path file = Files.writeString(dir.resolve("mediator.pem"),
                "-----BEGIN PRIVATE KEY-----\n" + PKCS8 + "\n-----END PRIVATE KEY-----\n");

        try (CapturedLog log = new CapturedLog(MediatorSigningKey.class)) {
            // When
            DecisionSigner signer = MediatorSigningKey.load(file.toString(), "");

            // Then
            assertThat(signer.keyId()).isEqualTo(FINGERPRINT);
            assertThat(Ed25519Keys.toBase64(signer.publicKey())).isEqualTo(PUBLIC_KEY);
            assertThat(log.messages(Level.INFO)).singleElement().asString()
                    .contains(file.toString(), "key id " + FINGERPRINT, "public key " + PUBLIC_KEY)
                    .doesNotContain("EPHEMERAL");
        }
    }

    @Test
    void shouldLoadABase64FileUnderTheGivenKeyId() throws IOException {
        // Given
        Path file = Files.writeString(dir.resolve("mediator.key"), PKCS8 + "\n");

        // When
        DecisionSigner signer = MediatorSigningKey.load(" " + file + " ", " mediator-2026-11 ");

        // Then
        assertThat(signer.keyId()).isEqualTo("mediator-2026-11");
        assertThat(new DecisionVerifier().verify(signer.sign(decision()), Ed25519Keys.publicKeyFromBase64(PUBLIC_KEY)))
                .isTrue();
    }

    @Test
    void shouldNameAMissingFile() {
        // Given
        Path missing = dir.resolve("absent.pem");

        // When / Then
        assertThatThrownBy(() -> MediatorSigningKey.load(missing.toString(), ""))
                .isInstanceOf(InvalidSigningKeyException.class)
                .hasMessage("cannot read the mediator signing key file '" + missing + "' (signing.key.file): no such file");
    }

    @Test
    void shouldNameAFileHoldingAnotherTypeOfKey() throws Exception {
        // Given an RSA key in PKCS#8 PEM
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        Path file = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

        // When / Then
        assertThatThrownBy(() -> MediatorSigningKey.load(file.toString(), ""))
                .isInstanceOf(InvalidSigningKeyException.class)
                .hasMessage("the mediator signing key file '" + file + "' (signing.key.file) holds no usable Ed25519 "
                        + "private key: private key is a key of type RSA, not Ed25519 "
                        + "(create one with: openssl genpkey -algorithm ed25519)");
    }

    @Test
    void shouldNameAFileThatIsNotAKeyAtAll() throws IOException {
        // Given a binary file
        Path file = Files.write(dir.resolve("mediator.der"), new byte[] {0x30, (byte) 0x82, 0x00, (byte) 0xFF});

        // When / Then
        assertThatThrownBy(() -> MediatorSigningKey.load(file.toString(), ""))
                .isInstanceOf(InvalidSigningKeyException.class)
                .hasMessageStartingWith("the mediator signing key file '" + file + "' (signing.key.file) holds no "
                        + "usable Ed25519 private key: private key is not base64");
    }

    private static Decision decision() {
        return Decision.newBuilder()
                .setIntentId("i-1")
                .setAgentId("a")
                .setCorrelationId("i-1")
                .setOutcome(DecisionOutcome.EXECUTE)
                .setReasons(new ArrayList<>())
                .setPolicyVersion("1")
                .setDecidedAt(Instant.EPOCH)
                .setDecidedBy("mediator")
                .build();
    }
}
