package io.agentmediator.signing;

import java.io.IOException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * JDK Ed25519 keys in BouncyCastle's form. Public keys are converted once per key: decoding the
 * point (a square root in the field) is a good part of a verification's cost, and the gate checks
 * every signed intent of an agent with the one key object its policy holds. They are remembered
 * weakly, so the keys of a replaced policy go with it. Private keys are not remembered (no secret
 * sits in a static map): whoever signs often holds the converted key, as {@link DecisionSigner} does.
 */
final class Ed25519KeyParameters {

    /** Keyed by the key objects; their equals and hashCode compare encodings, so equal keys share. */
    private static final Map<PublicKey, Ed25519PublicKeyParameters> PUBLIC_KEYS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private Ed25519KeyParameters() {
    }

    /** @throws IllegalArgumentException if the key is not an Ed25519 public key */
    static Ed25519PublicKeyParameters of(PublicKey key) {
        return PUBLIC_KEYS.computeIfAbsent(Ed25519Keys.requireEd25519(key),
                k -> convert(k, PublicKeyFactory::createKey, Ed25519PublicKeyParameters.class));
    }

    /** @throws IllegalArgumentException if the key is not an Ed25519 private key */
    static Ed25519PrivateKeyParameters of(PrivateKey key) {
        return convert(Ed25519Keys.requireEd25519(key), PrivateKeyFactory::createKey, Ed25519PrivateKeyParameters.class);
    }

    private static <P extends AsymmetricKeyParameter> P convert(Key key, Decoder decoder, Class<P> type) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new IllegalArgumentException("the Ed25519 key does not expose its encoding (a hardware key?)");
        }
        AsymmetricKeyParameter parameters;
        try {
            parameters = decoder.decode(encoded);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the Ed25519 key: " + e.getMessage(), e);
        }
        if (!type.isInstance(parameters)) {
            throw new IllegalArgumentException("expected an Ed25519 key, got " + parameters.getClass().getSimpleName());
        }
        return type.cast(parameters);
    }

    @FunctionalInterface
    private interface Decoder {
        AsymmetricKeyParameter decode(byte[] encoded) throws IOException;
    }
}
