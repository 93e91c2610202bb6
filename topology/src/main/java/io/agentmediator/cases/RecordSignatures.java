package io.agentmediator.cases;

import io.agentmediator.policy.SignatureRequirement;
import io.agentmediator.signing.IntentSignatures;
import io.agentmediator.signing.SignatureCheck;
import java.security.PublicKey;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * Checks the signature of an approval or outcome record exactly as the agent gate checks an
 * intent's: Ed25519 over the value bytes, in the {@value IntentSignatures#SIGNATURE_HEADER} header,
 * with an optional {@value IntentSignatures#KEY_ID_HEADER} naming the signer or its key's fingerprint.
 */
final class RecordSignatures {

    private RecordSignatures() {}

    /**
     * Why the record does not count as signed by {@code signerId}; empty when it does, or when it is
     * unsigned and signatures are optional.
     *
     * @param what   how the message names the record and its signer, e.g. "approval by maria"
     * @param key    the signer's registered key, or null when it has none
     */
    static Optional<Refusal> refusal(SignatureRequirement requirement, String what, String signerId, PublicKey key,
            byte[] value, Headers headers) {
        boolean signed = headers.lastHeader(IntentSignatures.SIGNATURE_HEADER) != null;
        if (!signed && requirement == SignatureRequirement.OPTIONAL) {
            return Optional.empty();
        }
        if (!signed) {
            return Optional.of(new Refusal(RefusalCode.UNSIGNED, what + " is not signed, and the policy requires it"));
        }
        if (key == null) {
            return Optional.of(new Refusal(RefusalCode.NO_REGISTERED_KEY, what + " is signed, but the policy registers no key for "
                    + signerId));
        }
        SignatureCheck check = IntentSignatures.verify(value, headers, signerId, key);
        return check.valid()
                ? Optional.empty()
                : Optional.of(new Refusal(RefusalCode.SIGNATURE_INVALID, what + ": " + check.reason()));
    }
}
