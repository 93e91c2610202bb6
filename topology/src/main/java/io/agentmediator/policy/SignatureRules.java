package io.agentmediator.policy;

import java.util.Objects;

/**
 * The policy's {@code signatures}: what approvals, outcomes and controls must carry to count.
 *
 * @param intentSha256 whether an approval or outcome must name the SHA-256 of the intent it answers: a signed answer
 *                     without it answers whatever intent its id names, so re-sent once the id is used again it answers
 *                     an intent nobody saw
 */
public record SignatureRules(SignatureRequirement approvals, SignatureRequirement outcomes, SignatureRequirement controls,
                             SignatureRequirement intentSha256) {

    public SignatureRules {
        Objects.requireNonNull(approvals, "approvals");
        Objects.requireNonNull(outcomes, "outcomes");
        Objects.requireNonNull(controls, "controls");
        Objects.requireNonNull(intentSha256, "intentSha256");
    }

    /**
     * What a policy without {@code signatures} gets: approvals and outcomes signed; controls signed once
     * the policy lists operators. A policy without operators has nobody to sign a control, and turning
     * every kill switch off by upgrading would be worse than accepting unsigned ones (which
     * {@code policy validate} warns about). Answers need not name their intent's SHA-256: approvers' and executors'
     * tools built before the field existed send none, and requiring it by upgrading would refuse all they send.
     */
    public static SignatureRules defaults(boolean operatorsListed) {
        return new SignatureRules(SignatureRequirement.REQUIRED, SignatureRequirement.REQUIRED, controlsDefault(operatorsListed),
                SignatureRequirement.OPTIONAL);
    }

    static SignatureRequirement controlsDefault(boolean operatorsListed) {
        return operatorsListed ? SignatureRequirement.REQUIRED : SignatureRequirement.OPTIONAL;
    }
}
