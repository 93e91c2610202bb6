package io.agentmediator.signing;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Agents' signatures on their intents.
 *
 * <p>An agent signs the exact bytes of the record value it produces to {@code agent.intents}
 * (the Confluent wire format: magic byte, 4-byte schema id, Avro body; exactly the bytes on the
 * topic) with Pure Ed25519, and sends:
 * <ul>
 *   <li>{@value #SIGNATURE_HEADER}: the 64-byte signature in standard base64 (RFC 4648 section 4;
 *       padding optional, surrounding whitespace ignored), as ASCII bytes. A header value of
 *       exactly 64 bytes that is not base64 of 64 bytes is taken as the raw signature, for agents
 *       that send bytes as they are.</li>
 *   <li>{@value #KEY_ID_HEADER} (optional): UTF-8, either the agent's id or the
 *       {@linkplain Ed25519Keys#fingerprint fingerprint} of its registered key. The policy holds one
 *       key per agent, so the key id only catches an agent using a key the policy does not name;
 *       the signature must verify with the registered key whatever the key id says.</li>
 * </ul>
 * Signing the serialized bytes, not a re-encoding of the fields, means nothing about the intent can
 * change between the agent and the mediator without breaking the signature, whatever schema
 * version either side uses. When a header occurs more than once, the last one counts (Kafka's
 * {@link Headers#lastHeader} convention).
 */
public final class IntentSignatures {

    /** Record header carrying the signature. */
    public static final String SIGNATURE_HEADER = "mediator-signature";
    /** Record header carrying the signer's key id. */
    public static final String KEY_ID_HEADER = "mediator-key-id";

    /** Standard base64 with optional padding: exactly what {@link Base64#getDecoder()} decodes without error. */
    private static final Pattern BASE64 =
            Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?");

    private IntentSignatures() {
    }

    /**
     * Signs a record value as an agent does.
     *
     * @param valueBytes the serialized record value, exactly as it will be produced
     * @return the {@value #SIGNATURE_HEADER} header value: the base64 signature as ASCII bytes
     * @throws IllegalArgumentException if the key is not an Ed25519 private key
     */
    public static byte[] sign(byte[] valueBytes, PrivateKey key) {
        byte[] signature = Ed25519Signatures.sign(Objects.requireNonNull(valueBytes, "valueBytes"), key);
        return Base64.getEncoder().encode(signature);
    }

    /**
     * Checks a record value against its {@value #SIGNATURE_HEADER} header value.
     *
     * @param signatureHeader the header value, or null when the record has none
     * @param key             the agent's registered public key
     * @throws IllegalArgumentException if the key is not an Ed25519 public key
     */
    public static SignatureCheck verify(byte[] valueBytes, byte[] signatureHeader, PublicKey key) {
        Objects.requireNonNull(valueBytes, "valueBytes");
        Objects.requireNonNull(key, "key");
        if (signatureHeader == null || signatureHeader.length == 0) {
            return SignatureCheck.invalid("no signature header");
        }
        byte[] signature = decodeBase64(signatureHeader);
        if (signature == null || signature.length != Ed25519Signatures.SIGNATURE_LENGTH) {
            if (signatureHeader.length == Ed25519Signatures.SIGNATURE_LENGTH) {
                signature = signatureHeader;
            } else if (signature == null) {
                return SignatureCheck.invalid("signature is not base64");
            } else {
                return SignatureCheck.invalid("signature is " + signature.length + " bytes, an Ed25519 signature is "
                        + Ed25519Signatures.SIGNATURE_LENGTH);
            }
        }
        return Ed25519Signatures.verify(valueBytes, signature, key)
                ? SignatureCheck.VALID
                : SignatureCheck.invalid("signature does not verify");
    }

    /**
     * Checks a record as the agent gate does: the signature header, and the key id header when
     * present.
     *
     * @param agentId the agent the record claims to come from
     * @param key     that agent's registered public key
     * @throws IllegalArgumentException if the key is not an Ed25519 public key
     */
    public static SignatureCheck verify(byte[] valueBytes, Headers headers, String agentId, PublicKey key) {
        byte[] signatureHeader = value(headers.lastHeader(SIGNATURE_HEADER));
        if (signatureHeader == null) {
            return SignatureCheck.invalid("no signature header");
        }
        byte[] keyIdHeader = value(headers.lastHeader(KEY_ID_HEADER));
        if (keyIdHeader != null) {
            String keyId = new String(keyIdHeader, StandardCharsets.UTF_8);
            String fingerprint = Ed25519Keys.fingerprint(key);
            if (!keyId.equals(agentId) && !keyId.equals(fingerprint)) {
                return SignatureCheck.invalid("key id '" + keyId + "' is neither the agent id nor the fingerprint "
                        + fingerprint + " of its registered key");
            }
        }
        return verify(valueBytes, signatureHeader, key);
    }

    private static byte[] value(Header header) {
        return header == null ? null : header.value();
    }

    /** The decoded bytes, or null when the header is not base64 text. */
    private static byte[] decodeBase64(byte[] header) {
        String text = new String(header, StandardCharsets.ISO_8859_1).strip();
        return BASE64.matcher(text).matches() ? Base64.getDecoder().decode(text) : null;
    }
}
