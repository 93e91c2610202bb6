package io.agentmediator.policy;

import java.security.PublicKey;
import java.util.Objects;

/**
 * Someone who may pull or release the kill switch: a control on the controls topic that names it in
 * {@code by} counts only when signed with its key (while the policy requires signed controls).
 *
 * @param publicKey       the Ed25519 key its controls are signed with
 * @param publicKeyBase64 that key as written in the policy, so it can be written back
 */
public record Operator(String id, PublicKey publicKey, String publicKeyBase64) {

    public Operator {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(publicKeyBase64, "publicKeyBase64");
    }
}
