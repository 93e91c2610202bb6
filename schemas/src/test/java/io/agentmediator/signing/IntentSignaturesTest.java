package io.agentmediator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class IntentSignaturesTest {

    /** Wire-format bytes as an agent would produce them: magic byte, schema id 1, an Avro body. */
    private static final byte[] VALUE = {0, 0, 0, 0, 1, 2, 3};
    /** Published in docs/SIGNING.md: the golden key's signature header for {@link #VALUE}. */
    private static final String GOLDEN_HEADER =
            "0ZSyFer58rbSO90E1tcFNQ3Oof2pi1+rxPA+VSV2h/tXCpdDptLTkHSs5IomQeAM9za+qlv5D/d4r4gikcKFAA==";

    private final KeyPair agent = Ed25519Keys.generate();

    @Test
    void shouldAcceptAValueSignedByTheAgent() {
        // Given
        byte[] header = IntentSignatures.sign(VALUE, agent.getPrivate());

        // When
        SignatureCheck check = IntentSignatures.verify(VALUE, header, agent.getPublic());

        // Then
        assertThat(check).isEqualTo(SignatureCheck.VALID);
        assertThat(check.reason()).isNull();
    }

    @Test
    void shouldMatchTheGoldenVector() {
        // When
        byte[] header = IntentSignatures.sign(VALUE, GoldenVector.privateKey());

        // Then
        assertThat(new String(header, StandardCharsets.US_ASCII)).isEqualTo(GOLDEN_HEADER);
    }

    @Test
    void shouldAcceptARawSignatureAndBase64WithoutPaddingOrWithWhitespace() {
        // Given
        byte[] raw = Base64.getDecoder().decode(IntentSignatures.sign(VALUE, agent.getPrivate()));
        String base64 = Base64.getEncoder().encodeToString(raw);
        byte[] unpadded = base64.replace("=", "").getBytes(StandardCharsets.US_ASCII);
        byte[] spaced = (" " + base64 + "\n").getBytes(StandardCharsets.US_ASCII);

        // When / Then
        assertThat(IntentSignatures.verify(VALUE, raw, agent.getPublic()).valid()).isTrue();
        assertThat(IntentSignatures.verify(VALUE, unpadded, agent.getPublic()).valid()).isTrue();
        assertThat(IntentSignatures.verify(VALUE, spaced, agent.getPublic()).valid()).isTrue();
    }

    @Test
    void shouldRejectAMissingOrEmptySignature() {
        assertThat(IntentSignatures.verify(VALUE, (byte[]) null, agent.getPublic()))
                .isEqualTo(SignatureCheck.invalid("no signature header"));
        assertThat(IntentSignatures.verify(VALUE, new byte[0], agent.getPublic()))
                .isEqualTo(SignatureCheck.invalid("no signature header"));
    }

    @Test
    void shouldRejectASignatureThatIsNotBase64() {
        // Given
        byte[] header = "signed-by-me!".getBytes(StandardCharsets.US_ASCII);

        // When / Then
        assertThat(IntentSignatures.verify(VALUE, header, agent.getPublic()))
                .isEqualTo(SignatureCheck.invalid("signature is not base64"));
    }

    @Test
    void shouldRejectBase64OfTheWrongLength() {
        // Given
        byte[] header = Base64.getEncoder().encode(new byte[32]);

        // When / Then
        assertThat(IntentSignatures.verify(VALUE, header, agent.getPublic()))
                .isEqualTo(SignatureCheck.invalid("signature is 32 bytes, an Ed25519 signature is 64"));
    }

    @Test
    void shouldRejectASignatureByAnotherKey() {
        // Given
        byte[] header = IntentSignatures.sign(VALUE, Ed25519Keys.generate().getPrivate());

        // When / Then
        assertThat(IntentSignatures.verify(VALUE, header, agent.getPublic()))
                .isEqualTo(SignatureCheck.invalid("signature does not verify"));
    }

    @Test
    void shouldRejectAValueChangedAfterSigning() {
        // Given
        byte[] header = IntentSignatures.sign(VALUE, agent.getPrivate());
        byte[] changed = VALUE.clone();
        changed[4] = 2;

        // When / Then
        assertThat(IntentSignatures.verify(changed, header, agent.getPublic()))
                .isEqualTo(SignatureCheck.invalid("signature does not verify"));
    }

    @Test
    void shouldRejectSixtyFourBytesThatAreNoSignature() {
        // Given garbage of a signature's length, neither base64 nor a valid curve point
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xFF);

        // When / Then
        assertThat(IntentSignatures.verify(VALUE, garbage, agent.getPublic()))
                .isEqualTo(SignatureCheck.invalid("signature does not verify"));
    }

    @Test
    void shouldAcceptTheAgentIdOrTheKeyFingerprintAsKeyId() {
        // Given
        byte[] signature = IntentSignatures.sign(VALUE, agent.getPrivate());

        // When / Then
        assertThat(IntentSignatures.verify(VALUE, headers(signature, null), "finance-analyst", agent.getPublic()).valid())
                .isTrue();
        assertThat(IntentSignatures.verify(VALUE, headers(signature, "finance-analyst"), "finance-analyst",
                agent.getPublic()).valid()).isTrue();
        assertThat(IntentSignatures.verify(VALUE, headers(signature, Ed25519Keys.fingerprint(agent.getPublic())),
                "finance-analyst", agent.getPublic()).valid()).isTrue();
    }

    @Test
    void shouldRejectAKeyIdNamingAnotherKey() {
        // Given
        byte[] signature = IntentSignatures.sign(VALUE, agent.getPrivate());

        // When
        SignatureCheck check = IntentSignatures.verify(VALUE, headers(signature, "ops-bot"), "finance-analyst",
                agent.getPublic());

        // Then
        assertThat(check).isEqualTo(SignatureCheck.invalid("key id 'ops-bot' is neither the agent id nor the fingerprint "
                + Ed25519Keys.fingerprint(agent.getPublic()) + " of its registered key"));
    }

    @Test
    void shouldReadTheLastSignatureHeaderAndNoticeAMissingOne() {
        // Given a forged signature header followed by the agent's own
        Headers twice = headers("forged".getBytes(StandardCharsets.US_ASCII), null)
                .add(IntentSignatures.SIGNATURE_HEADER, IntentSignatures.sign(VALUE, agent.getPrivate()));

        // When / Then
        assertThat(IntentSignatures.verify(VALUE, twice, "a", agent.getPublic()).valid()).isTrue();
        assertThat(IntentSignatures.verify(VALUE, new RecordHeaders(), "a", agent.getPublic()))
                .isEqualTo(SignatureCheck.invalid("no signature header"));
    }

    @Test
    void shouldRefuseToCheckWithAKeyThatIsNotEd25519() throws Exception {
        // Given
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair rsa = generator.generateKeyPair();

        // When / Then
        assertThatThrownBy(() -> IntentSignatures.verify(VALUE, new byte[64], rsa.getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an Ed25519 key, got RSA");
        assertThatThrownBy(() -> IntentSignatures.sign(VALUE, rsa.getPrivate()))
                .hasMessage("expected an Ed25519 key, got RSA");
    }

    private static Headers headers(byte[] signature, String keyId) {
        Headers headers = new RecordHeaders().add(IntentSignatures.SIGNATURE_HEADER, signature);
        return keyId == null ? headers : headers.add(IntentSignatures.KEY_ID_HEADER, keyId.getBytes(StandardCharsets.UTF_8));
    }
}
