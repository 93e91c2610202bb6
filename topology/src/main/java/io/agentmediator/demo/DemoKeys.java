package io.agentmediator.demo;

import io.agentmediator.signing.IntentSignatures;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The private keys of the demo's approvers and executors, whose public halves the example policy
 * registers: each derived from its id (the Ed25519 seed is the SHA-256 of
 * {@code "agent-mediator demo key: " + id}), so the demo signs as the policy expects without shipping
 * key files. Anyone can derive them: a policy that registers these keys authenticates nobody.
 */
public final class DemoKeys {

    private static final String SEED_PREFIX = "agent-mediator demo key: ";

    private DemoKeys() {}

    public static PrivateKey privateKey(String id) {
        try {
            byte[] seed = MessageDigest.getInstance("SHA-256").digest((SEED_PREFIX + id).getBytes(StandardCharsets.UTF_8));
            return KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Java 15 and later have Ed25519 and SHA-256", e);
        }
    }

    /** {@code record} signed by {@code signerId} as approvers and executors sign (docs/SIGNING.md). */
    static ProducerRecord<byte[], byte[]> signed(ProducerRecord<byte[], byte[]> record, String signerId) {
        record.headers()
                .add(IntentSignatures.SIGNATURE_HEADER, IntentSignatures.sign(record.value(), privateKey(signerId)))
                .add(IntentSignatures.KEY_ID_HEADER, signerId.getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
