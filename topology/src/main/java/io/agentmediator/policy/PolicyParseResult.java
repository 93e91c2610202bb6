package io.agentmediator.policy;

import java.util.List;
import java.util.Objects;

/**
 * Either a valid {@link Policy} or every problem found in the document, never both: a policy is all
 * right or not used at all, but its author gets to fix everything in one go. A valid policy may come
 * with warnings, which {@code policy validate} prints and which change nothing else.
 */
public final class PolicyParseResult {

    private final Policy policy;
    private final List<PolicyProblem> problems;
    private final List<PolicyProblem> warnings;

    private PolicyParseResult(Policy policy, List<PolicyProblem> problems, List<PolicyProblem> warnings) {
        this.policy = policy;
        this.problems = problems;
        this.warnings = List.copyOf(warnings);
    }

    public static PolicyParseResult valid(Policy policy) {
        return valid(policy, List.of());
    }

    public static PolicyParseResult valid(Policy policy, List<PolicyProblem> warnings) {
        return new PolicyParseResult(Objects.requireNonNull(policy, "policy"), List.of(), warnings);
    }

    public static PolicyParseResult invalid(List<PolicyProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid policy has at least one problem");
        }
        return new PolicyParseResult(null, List.copyOf(problems), List.of());
    }

    public boolean isValid() {
        return policy != null;
    }

    /** The policy; throws {@link InvalidPolicyException} listing every problem when there is none. */
    public Policy policy() {
        if (policy == null) {
            throw new InvalidPolicyException(problems);
        }
        return policy;
    }

    /** The problems in document order; empty when the policy is valid. */
    public List<PolicyProblem> problems() {
        return problems;
    }

    /** What the author of a valid policy should know, in the order found; empty for an invalid one. */
    public List<PolicyProblem> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return isValid()
                ? "valid policy " + policy.version()
                : problems.size() + " problems, first: " + problems.get(0);
    }
}
