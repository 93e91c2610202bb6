package io.agentmediator.identity;

import io.agentmediator.signing.DecisionSigner;
import io.agentmediator.signing.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the Ed25519 key the mediator signs its decisions with ({@code signing.key.file},
 * {@code signing.key.id}), so executors can check a decision's origin.
 *
 * <p>Without a key file the mediator makes up a key for this run only: the embedded default and
 * demos then work with no setup, and the key is logged so a user can still verify what they see.
 * Executors cannot keep trusting such a key across restarts, so production sets a file.
 */
public final class MediatorSigningKey {

    private static final Logger log = LoggerFactory.getLogger(MediatorSigningKey.class);

    private MediatorSigningKey() {
    }

    /**
     * @param keyFile an unencrypted PKCS#8 Ed25519 private key, PEM or base64 (what
     *                {@code openssl genpkey -algorithm ed25519} writes); blank for an ephemeral key
     * @param keyId   the id executors know the key by; blank for its fingerprint
     * @throws InvalidSigningKeyException if the file cannot be read or holds no Ed25519 private key
     */
    public static DecisionSigner load(String keyFile, String keyId) {
        if (isBlank(keyFile)) {
            return ephemeral(keyId);
        }
        Path path = Path.of(keyFile.strip());
        PrivateKey privateKey = readPrivateKey(path);
        PublicKey publicKey = Ed25519Keys.publicKeyOf(privateKey);
        String id = isBlank(keyId) ? Ed25519Keys.fingerprint(publicKey) : keyId.strip();
        log.info("Signing decisions with the key in {}: key id {}, public key {}", path, id,
                Ed25519Keys.toBase64(publicKey));
        return new DecisionSigner(privateKey, id);
    }

    private static DecisionSigner ephemeral(String keyId) {
        KeyPair pair = Ed25519Keys.generate();
        String id = isBlank(keyId) ? Ed25519Keys.fingerprint(pair.getPublic()) : keyId.strip();
        log.info("Signing decisions with an EPHEMERAL key made for this run (signing.key.file is not set; "
                + "executors cannot trust it after a restart): key id {}, public key {}", id,
                Ed25519Keys.toBase64(pair.getPublic()));
        return new DecisionSigner(pair.getPrivate(), id);
    }

    private static PrivateKey readPrivateKey(Path path) {
        String text;
        try {
            // Latin-1 decodes any bytes, so a binary file is reported as "not base64", not as a charset error.
            text = new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new InvalidSigningKeyException("cannot read the mediator signing key file '" + path
                    + "' (signing.key.file): " + describe(e), e);
        }
        try {
            return Ed25519Keys.privateKeyFromPkcs8(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidSigningKeyException("the mediator signing key file '" + path + "' (signing.key.file) "
                    + "holds no usable Ed25519 private key: " + e.getMessage(), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.toString();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
