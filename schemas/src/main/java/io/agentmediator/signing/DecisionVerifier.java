package io.agentmediator.signing;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import java.nio.ByteBuffer;
import java.security.PublicKey;

/**
 * For executors: checks that a decision was signed by the mediator key they trust and that no field
 * changed since: over {@link DecisionCanonicalForm} version 2, or version 1 for a decision made
 * before version 2 (one without the intent's digest, action, target, cost and commitment). Works whichever Decision schema version the executor reads with, because the
 * signature covers {@link DecisionCanonicalForm}, not the Avro bytes. Thread-safe.
 */
public final class DecisionVerifier {

    /**
     * Whether the decision is the mediator's order to execute: {@link #verify verified}, and its outcome {@code EXECUTE}.
     * What an executor asks before acting: the mediator signs its escalations and rejections with the same key (an
     * intent anyone writes is refused with a signed REJECT), so a signed decision put on the execute topic by anyone
     * who can write there verifies all the same; only its signed outcome says whether it may be carried out.
     *
     * @throws IllegalArgumentException if the key is not an Ed25519 public key
     */
    public boolean ordersExecution(Decision decision, PublicKey mediatorKey) {
        return verify(decision, mediatorKey) && decision.getOutcome() == DecisionOutcome.EXECUTE;
    }

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
        if (Ed25519Signatures.verify(DecisionCanonicalForm.bytes(decision), signature, mediatorKey)) {
            return true;
        }
        // Version 1 left the intent's content out, so it is accepted only where the decision claims
        // none: otherwise anyone could add an action or a digest to an old v1-signed decision.
        return DecisionCanonicalForm.withinVersion1(decision)
                && Ed25519Signatures.verify(DecisionCanonicalForm.bytesV1(decision), signature, mediatorKey);
    }
}
