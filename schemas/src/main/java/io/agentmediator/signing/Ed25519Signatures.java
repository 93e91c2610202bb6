package io.agentmediator.signing;

import java.security.PrivateKey;
import java.security.PublicKey;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Pure Ed25519 (RFC 8032, no pre-hash, no context) over whole messages: the one place that signs
 * and verifies, so intents and decisions cannot differ in how they do it.
 *
 * <p>The arithmetic is BouncyCastle's low-level Ed25519, about twenty times faster than the JDK 17
 * provider (docs/BENCHMARKS.md), which made signing decisions most of the mediator's CPU. Ed25519
 * is deterministic, so the signatures are byte for byte the ones the JDK made. Keys stay JDK
 * {@link PublicKey}/{@link PrivateKey} objects in the API; {@link Ed25519KeyParameters} turns
 * each into BouncyCastle's form once.
 */
final class Ed25519Signatures {

    /** An Ed25519 signature is always 64 bytes. */
    static final int SIGNATURE_LENGTH = Ed25519PrivateKeyParameters.SIGNATURE_SIZE;

    private Ed25519Signatures() {
    }

    /** @throws IllegalArgumentException if the key is not an Ed25519 private key */
    static byte[] sign(byte[] message, PrivateKey key) {
        return sign(message, Ed25519KeyParameters.of(key));
    }

    /** Signs with a key already in BouncyCastle's form. Thread-safe. */
    static byte[] sign(byte[] message, Ed25519PrivateKeyParameters key) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        key.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        return signature;
    }

    /**
     * A signature that cannot even be decoded (wrong length, a point off the curve) is simply one
     * that does not verify.
     *
     * @throws IllegalArgumentException if the key is not an Ed25519 public key
     */
    static boolean verify(byte[] message, byte[] signature, PublicKey key) {
        Ed25519PublicKeyParameters parameters = Ed25519KeyParameters.of(key);
        return signature.length == SIGNATURE_LENGTH
                && parameters.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }
}
