package io.agentmediator.policy;

import java.util.Objects;

/** The policy's {@code signatures}: what approvals, outcomes and controls must carry to count. */
public record SignatureRules(SignatureRequirement approvals, SignatureRequirement outcomes, SignatureRequirement controls) {

    public SignatureRules {
        Objects.requireNonNull(approvals, "approvals");
        Objects.requireNonNull(outcomes, "outcomes");
        Objects.requireNonNull(controls, "controls");
    }

    /**
     * What a policy without {@code signatures} gets: approvals and outcomes signed; controls signed once
     * the policy lists operators. A policy without operators has nobody to sign a control, and turning
     * every kill switch off by upgrading would be worse than accepting unsigned ones (which
     * {@code policy validate} warns about).
     */
    public static SignatureRules defaults(boolean operatorsListed) {
        return new SignatureRules(SignatureRequirement.REQUIRED, SignatureRequirement.REQUIRED, controlsDefault(operatorsListed));
    }

    static SignatureRequirement controlsDefault(boolean operatorsListed) {
        return operatorsListed ? SignatureRequirement.REQUIRED : SignatureRequirement.OPTIONAL;
    }
}
