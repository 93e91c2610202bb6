package io.agentmediator.signing;

/**
 * The result of checking an intent's signature: valid, or invalid with a short reason a person
 * can act on (the agent gate puts it in the SIGNATURE_INVALID message).
 *
 * @param valid  whether the intent is authentically the agent's
 * @param reason why not, or null when valid
 */
public record SignatureCheck(boolean valid, String reason) {

    /** The intent is signed by the agent's registered key. */
    public static final SignatureCheck VALID = new SignatureCheck(true, null);

    public SignatureCheck {
        if (valid == (reason != null)) {
            throw new IllegalArgumentException("a reason is given exactly when the check fails");
        }
    }

    /** A failed check and why. */
    public static SignatureCheck invalid(String reason) {
        return new SignatureCheck(false, reason);
    }
}
