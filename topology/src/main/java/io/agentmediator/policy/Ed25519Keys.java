package io.agentmediator.policy;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Decodes agents', approvers' and executors' public keys as the policy writes them: Ed25519, X.509 (SubjectPublicKeyInfo) DER in base64. */
final class Ed25519Keys {

    private Ed25519Keys() {
    }

    /** The key written under {@code key} in {@code fields}, or null when there is none or it is reported as a problem. */
    static PublicKey read(Fields fields, String key) {
        String base64 = fields.string(key);
        if (base64 == null) {
            return null;
        }
        try {
            return decode(base64);
        } catch (InvalidKeySpecException e) {
            fields.problem(key, "not an Ed25519 public key (X.509, base64): " + e.getMessage());
            return null;
        }
    }

    static PublicKey decode(String base64) throws InvalidKeySpecException {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException("not base64: " + e.getMessage(), e);
        }
        PublicKey key = factory().generatePublic(new X509EncodedKeySpec(der));
        try {
            return io.agentmediator.signing.Ed25519Keys.requireOnCurve(key);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException(e.getMessage(), e);
        }
    }

    private static KeyFactory factory() {
        try {
            return KeyFactory.getInstance("Ed25519");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no Ed25519 (Java 15 and later have it built in)", e);
        }
    }
}
