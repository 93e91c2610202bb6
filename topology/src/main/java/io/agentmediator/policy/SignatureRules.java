package io.agentmediator.policy;

import java.util.Objects;

/** The policy's {@code signatures}: what approvals and outcomes must carry to count. */
public record SignatureRules(SignatureRequirement approvals, SignatureRequirement outcomes) {

    /** Both signed: what a policy without {@code signatures} gets. */
    public static final SignatureRules REQUIRED = new SignatureRules(SignatureRequirement.REQUIRED, SignatureRequirement.REQUIRED);

    public SignatureRules {
        Objects.requireNonNull(approvals, "approvals");
        Objects.requireNonNull(outcomes, "outcomes");
    }
}
