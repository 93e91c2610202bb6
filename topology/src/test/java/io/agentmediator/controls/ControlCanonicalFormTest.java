package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.signing.Ed25519Keys;
import io.agentmediator.signing.IntentSignatures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/**
 * The control test vector of docs/SIGNING.md, literally: its canonical form, digest and signature
 * were computed independently with Python's {@code cryptography} from the documented encoding.
 */
class ControlCanonicalFormTest {

    /** RFC 8032 section 7.1, TEST 1, the key of every vector in docs/SIGNING.md. */
    private static final PrivateKey RFC8032_TEST_1 = Ed25519Keys.privateKeyFromPkcs8("MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g");
    private static final Control CONTROL = new Control(ControlAction.SUSPEND, "runaway spending — see incident 42",
            "alice@example.com", Instant.parse("2026-11-23T09:00:00.123Z"));

    @Test
    void shouldWriteTheDocumentedCanonicalForm() throws Exception {
        // When
        byte[] form = ControlCanonicalForm.bytes("finance-analyst", CONTROL);

        // Then
        assertThat(new String(form, StandardCharsets.UTF_8)).isEqualTo("""
                agent-mediator-control-v1
                scope=15:finance-analyst
                action=7:SUSPEND
                reason=36:runaway spending — see incident 42
                by=17:alice@example.com
                at=1795424400123
                """);
        assertThat(form).hasSize(156);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(form)))
                .isEqualTo("45381e70566bb3ea5640a465cd7f322bd573fe90d4f580f0542cf358ee6cb592");
    }

    @Test
    void shouldSignItAsTheVectorSays() {
        // When
        Headers headers = ControlSignatures.sign("finance-analyst", CONTROL, RFC8032_TEST_1);

        // Then
        assertThat(new String(headers.lastHeader(IntentSignatures.SIGNATURE_HEADER).value(), StandardCharsets.US_ASCII))
                .isEqualTo("tkgPVUkTMDfgmGSDBC+V+eDM8QpijuNMipUzoc3jAImK+obggUuYct8GXJBX4FRF45X6P9YWXH+m5wrqiOfRDg==");
        assertThat(new String(headers.lastHeader(IntentSignatures.KEY_ID_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("alice@example.com");
        assertThat(ControlSignatures.verify("finance-analyst", CONTROL, headers, Ed25519Keys.publicKeyOf(RFC8032_TEST_1)).valid())
                .isTrue();
    }
}
