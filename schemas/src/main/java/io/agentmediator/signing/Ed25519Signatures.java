package io.agentmediator.signing;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/**
 * Pure Ed25519 (RFC 8032, no pre-hash, no context) over whole messages: the one place that talks
 * to {@link Signature}, so intents and decisions cannot differ in how they sign or verify.
 */
final class Ed25519Signatures {

    /** An Ed25519 signature is always 64 bytes. */
    static final int SIGNATURE_LENGTH = 64;

    private Ed25519Signatures() {
    }

    /** @throws IllegalArgumentException if the key is not an Ed25519 private key */
    static byte[] sign(byte[] message, PrivateKey key) {
        Signature signature = ed25519();
        try {
            signature.initSign(Ed25519Keys.requireEd25519(key));
            signature.update(message);
            return signature.sign();
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        } catch (SignatureException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException if the key is not an Ed25519 public key */
    static boolean verify(byte[] message, byte[] signatureBytes, PublicKey key) {
        Signature signature = ed25519();
        try {
            signature.initVerify(Ed25519Keys.requireEd25519(key));
            signature.update(message);
            return signature.verify(signatureBytes);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("cannot verify with this key: " + e.getMessage(), e);
        } catch (SignatureException e) {
            // The JDK throws for a signature it cannot even decode (wrong length, bad point):
            // for the caller that is simply a signature that does not verify.
            return false;
        }
    }

    private static Signature ed25519() {
        try {
            // A new instance per call: Signature objects are stateful and not thread-safe.
            return Signature.getInstance("Ed25519");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no Ed25519 (Java 15 and later have it built in)", e);
        }
    }
}
