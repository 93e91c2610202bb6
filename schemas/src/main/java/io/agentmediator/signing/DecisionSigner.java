package io.agentmediator.signing;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Reason;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Signs decisions with the mediator's Ed25519 key, so executors can check that a decision they are
 * about to carry out came from the mediator and was not altered on the way.
 *
 * <p>The signature is Pure Ed25519 over {@link DecisionCanonicalForm#bytes}; the decision's
 * {@code signature} field holds its 64 raw bytes. The key id is not part of the decision: publish
 * it beside it (for example in a {@value IntentSignatures#KEY_ID_HEADER} record header) so
 * executors holding several mediator keys know which one to use. Thread-safe.
 */
public final class DecisionSigner {

    private final Ed25519PrivateKeyParameters privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    /**
     * @param keyId how executors name this key, e.g. its {@linkplain Ed25519Keys#fingerprint fingerprint}
     * @throws IllegalArgumentException if the key is not an Ed25519 private key or the key id is blank
     */
    public DecisionSigner(PrivateKey privateKey, String keyId) {
        // Converted once: every decision is signed with this key.
        this.privateKey = Ed25519KeyParameters.of(privateKey);
        this.publicKey = Ed25519Keys.publicKeyOf(privateKey);
        if (Objects.requireNonNull(keyId, "keyId").isBlank()) {
            throw new IllegalArgumentException("the key id must not be blank");
        }
        this.keyId = keyId;
    }

    /** A copy of the decision with its {@code signature} set; a signature it already had is replaced. */
    public Decision sign(Decision decision) {
        byte[] signature = Ed25519Signatures.sign(DecisionCanonicalForm.bytes(decision), privateKey);
        // Copied field by field rather than with Decision.newBuilder(decision): Avro's deep copy
        // loads the enum classes, which its class security refuses until a serde has trusted them.
        // The all-fields constructor also stops compiling when Decision gains a field, which is
        // when DecisionCanonicalForm needs a new version.
        List<Reason> reasons = decision.getReasons().stream()
                .map(reason -> new Reason(reason.getCode(), reason.getRuleId(), reason.getMessage()))
                .collect(Collectors.toCollection(ArrayList::new));
        return new Decision(decision.getIntentId(), decision.getAgentId(), decision.getCorrelationId(),
                decision.getOutcome(), decision.getTier(), reasons, decision.getPolicyVersion(),
                decision.getDecidedAt(), decision.getDecidedBy(), decision.getDeadline(), ByteBuffer.wrap(signature),
                decision.getIntentSha256(), decision.getAction(), decision.getTarget(), decision.getCostMicros(),
                decision.getCommitmentMicros());
    }

    /** The id executors know this key by. */
    public String keyId() {
        return keyId;
    }

    /** The public key executors verify with. */
    public PublicKey publicKey() {
        return publicKey;
    }
}
