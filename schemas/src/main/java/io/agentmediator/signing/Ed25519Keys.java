package io.agentmediator.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Ed25519 keys in the encodings the mediator's users have at hand: public keys as base64 X.509
 * (SubjectPublicKeyInfo DER, what {@code openssl pkey -pubout -outform DER | base64} prints and
 * what the policy's {@code publicKey} holds), private keys as unencrypted PKCS#8, either PEM
 * ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey -algorithm ed25519} writes)
 * or the same DER in bare base64.
 *
 * <p>A key of another type (RSA, EC, Ed448, ...) is refused with a message naming its type,
 * because signing with one would fail later, far from the configuration that caused it.
 */
public final class Ed25519Keys {

    private static final String ED25519 = "Ed25519";
    /** Key types we can name when someone hands us the wrong one. */
    private static final List<String> OTHER_KEY_TYPES = List.of("RSA", "EC", "Ed448", "X25519", "X448", "DSA");
    private static final String PEM_BEGIN = "-----BEGIN ";
    private static final String PEM_PRIVATE_KEY = "PRIVATE KEY";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final int FINGERPRINT_HEX_CHARS = 16;

    private Ed25519Keys() {
    }

    /**
     * Parses a public key from base64 X.509 DER.
     *
     * @throws IllegalArgumentException if it is not base64, not X.509, or not an Ed25519 key
     */
    public static PublicKey publicKeyFromBase64(String x509Base64) {
        byte[] der = decodeBase64(x509Base64, "public key");
        PublicKey key;
        try {
            key = factory().generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException(wrongKey("public key", new X509EncodedKeySpec(der), e), e);
        }
        return requireOnCurve(key);
    }

    /**
     * Checks that an Ed25519 public key's 32 bytes are a point of the curve. The JDK's key factory takes any 32 bytes
     * (a character mistyped in a policy's {@code publicKey} makes such a key), and nothing signed can verify under one.
     *
     * @throws IllegalArgumentException if they are not, or the key is not an Ed25519 key
     */
    public static PublicKey requireOnCurve(PublicKey key) {
        try {
            Ed25519KeyParameters.of(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a point of the Ed25519 curve, so no signature verifies under it (a character "
                    + "changed?): " + e.getMessage(), e);
        }
        return key;
    }

    /**
     * Parses an unencrypted PKCS#8 private key, PEM or bare base64 DER.
     *
     * @throws IllegalArgumentException if it is neither, is another PEM type (an RSA or EC
     *                                  "traditional" key, an encrypted key), or not an Ed25519 key
     */
    public static PrivateKey privateKeyFromPkcs8(String pemOrBase64) {
        String text = pemOrBase64.strip();
        byte[] der = text.contains(PEM_BEGIN) ? pemBody(text) : decodeBase64(text, "private key");
        try {
            return factory().generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException(wrongKey("private key", new PKCS8EncodedKeySpec(der), e), e);
        }
    }

    /** A fresh key pair from the platform's strong random source. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ED25519).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw missingEd25519(e);
        }
    }

    /**
     * The public key belonging to a private key, so a key file alone is enough to sign and to tell
     * executors which key to trust.
     */
    public static PublicKey publicKeyOf(PrivateKey privateKey) {
        if (!(requireEd25519(privateKey) instanceof EdECPrivateKey edKey)) {
            throw new IllegalArgumentException("expected a JDK Ed25519 private key, got a " + privateKey.getClass().getName());
        }
        byte[] seed = edKey.getBytes().orElseThrow(
                () -> new IllegalArgumentException("the private key does not expose its bytes (a hardware key?)"));
        // The JDK has no public API to derive an Ed25519 public key, but its generator computes the
        // pair from 32 random bytes: handing it the key's own bytes as "random" derives the pair.
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ED25519);
            generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the Ed25519 public key: " + e.getMessage(), e);
        }
        byte[] derivedSeed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        if (!Arrays.equals(seed, derivedSeed)) {
            throw new IllegalStateException("this JVM's Ed25519 key generator does not derive keys from the "
                    + "bytes it is given, so the public key cannot be derived from the private key");
        }
        return pair.getPublic();
    }

    /** The public key as base64 X.509 DER: the policy's {@code publicKey} format. */
    public static String toBase64(PublicKey publicKey) {
        return Base64.getEncoder().encodeToString(requireEd25519(publicKey).getEncoded());
    }

    /**
     * A short, stable name for a public key: the first 16 lowercase hex characters of the SHA-256
     * of its X.509 DER encoding (the bytes {@link #toBase64} encodes). Used as a key id.
     */
    public static String fingerprint(PublicKey publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requireEd25519(publicKey).getEncoded());
            return HexFormat.of().formatHex(digest).substring(0, FINGERPRINT_HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /**
     * Checks that a key is an Ed25519 key, so a wrong key fails with its type named.
     *
     * @throws IllegalArgumentException if it is not
     */
    static <K extends Key> K requireEd25519(K key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof EdECKey edKey && ED25519.equalsIgnoreCase(edKey.getParams().getName())) {
            return key;
        }
        throw new IllegalArgumentException("expected an Ed25519 key, got " + describe(key));
    }

    private static String describe(Key key) {
        return key instanceof EdECKey edKey ? edKey.getParams().getName() : key.getAlgorithm();
    }

    private static byte[] pemBody(String text) {
        int begin = text.indexOf(PEM_BEGIN) + PEM_BEGIN.length();
        int labelEnd = text.indexOf("-----", begin);
        if (labelEnd < 0) {
            throw new IllegalArgumentException("malformed PEM: the BEGIN line does not end with '-----'");
        }
        String label = text.substring(begin, labelEnd);
        if (!label.equals(PEM_PRIVATE_KEY)) {
            throw new IllegalArgumentException("PEM '" + label + "' is not supported; expected an unencrypted "
                    + "PKCS#8 '-----BEGIN PRIVATE KEY-----', as written by: openssl genpkey -algorithm ed25519");
        }
        String end = "-----END " + label + "-----";
        int endAt = text.indexOf(end, labelEnd);
        if (endAt < 0) {
            throw new IllegalArgumentException("malformed PEM: no '" + end + "' line");
        }
        return decodeBase64(text.substring(labelEnd + "-----".length(), endAt), "PEM body");
    }

    private static byte[] decodeBase64(String text, String what) {
        try {
            return Base64.getDecoder().decode(WHITESPACE.matcher(text).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not base64: " + e.getMessage(), e);
        }
    }

    private static String wrongKey(String what, KeySpec spec, InvalidKeySpecException cause) {
        for (String type : OTHER_KEY_TYPES) {
            if (parsesAs(type, spec)) {
                return what + " is a key of type " + type
                        + ", not Ed25519 (create one with: openssl genpkey -algorithm ed25519)";
            }
        }
        return what + " is not an Ed25519 key in " + (spec instanceof X509EncodedKeySpec ? "X.509" : "PKCS#8")
                + " DER: " + cause.getMessage();
    }

    private static boolean parsesAs(String type, KeySpec spec) {
        try {
            KeyFactory factory = KeyFactory.getInstance(type);
            if (spec instanceof X509EncodedKeySpec) {
                factory.generatePublic(spec);
            } else {
                factory.generatePrivate(spec);
            }
            return true;
        } catch (GeneralSecurityException e) {
            // Only naming the type for the error message: a key that is not this type is the expected case.
            return false;
        }
    }

    private static KeyFactory factory() {
        try {
            return KeyFactory.getInstance(ED25519);
        } catch (NoSuchAlgorithmException e) {
            throw missingEd25519(e);
        }
    }

    private static IllegalStateException missingEd25519(NoSuchAlgorithmException e) {
        return new IllegalStateException("this JVM has no Ed25519 (Java 15 and later have it built in)", e);
    }

    /** A "random" source that returns given bytes once, to derive a key pair from a private key. */
    private static final class FixedBytes extends SecureRandom {

        private final byte[] bytes;
        private boolean used;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (used || out.length != bytes.length) {
                throw new IllegalStateException("the Ed25519 generator asked for " + out.length
                        + " random bytes; only the " + bytes.length + " key bytes, once, can be given");
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
            used = true;
        }
    }
}
