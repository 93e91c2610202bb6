package io.agentmediator.signing;

import io.agentmediator.schema.Decision;
import java.nio.ByteBuffer;
import java.security.PublicKey;

/**
 * For executors: checks that a decision was signed by the mediator key they trust and that no field
 * changed since. Works whichever Decision schema version the executor reads with, because the
 * signature covers {@link DecisionCanonicalForm}, not the Avro bytes. Thread-safe.
 */
public final class DecisionVerifier {

    /**
     * Whether the decision carries a valid signature by {@code mediatorKey}. A decision without a
     * signature, or with one of the wrong length, is not valid.
     *
     * @throws IllegalArgumentException if the key is not an Ed25519 public key
     */
    public boolean verify(Decision decision, PublicKey mediatorKey) {
        Ed25519Keys.requireEd25519(mediatorKey);
        ByteBuffer field = decision.getSignature();
        if (field == null || field.remaining() != Ed25519Signatures.SIGNATURE_LENGTH) {
            return false;
        }
        byte[] signature = new byte[field.remaining()];
        // Read through a duplicate so the decision's buffer position is left as it was.
        field.duplicate().get(signature);
        return Ed25519Signatures.verify(DecisionCanonicalForm.bytes(decision), signature, mediatorKey);
    }
}
