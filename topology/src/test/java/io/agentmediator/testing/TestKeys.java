package io.agentmediator.testing;

import io.agentmediator.signing.Ed25519Keys;
import io.agentmediator.signing.IntentSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Ed25519 keys for test approvers, executors and agents, derived from their ids (the seed is the
 * SHA-256 of the id), so a test policy can name a signer's public key and the test sign as it
 * without passing key pairs around. Never for anything but tests: anyone can derive them.
 */
public final class TestKeys {

    private TestKeys() {}

    public static PrivateKey privateKey(String id) {
        try {
            byte[] seed = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Java 15 and later have Ed25519", e);
        }
    }

    /** The public key of {@link #privateKey}, as a policy's {@code publicKey} writes it. */
    public static String publicKey(String id) {
        return Ed25519Keys.toBase64(Ed25519Keys.publicKeyOf(privateKey(id)));
    }

    /** Writes {@code key} to {@code file} as the command line and the Python clients read it: PKCS#8 in PEM. */
    public static Path pemFile(Path file, PrivateKey key) throws IOException {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        return Files.writeString(file, pem);
    }

    /** The headers {@code signerId} sends {@code value} with: its signature over the bytes, and its id as the key id. */
    public static Headers signedBy(String signerId, byte[] value) {
        return signedBy(signerId, privateKey(signerId), value);
    }

    /** The same, signed with {@code key}: the demo's keys ({@code DemoKeys}) for the example policy's signers. */
    public static Headers signedBy(String signerId, PrivateKey key, byte[] value) {
        return new RecordHeaders()
                .add(IntentSignatures.SIGNATURE_HEADER, IntentSignatures.sign(value, key))
                .add(IntentSignatures.KEY_ID_HEADER, signerId.getBytes(StandardCharsets.UTF_8));
    }
}
