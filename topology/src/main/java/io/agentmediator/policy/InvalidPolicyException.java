package io.agentmediator.policy;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when an invalid policy is asked for its {@link Policy}; the message lists every problem, one a line. */
public class InvalidPolicyException extends RuntimeException {

    private final transient List<PolicyProblem> problems;

    public InvalidPolicyException(List<PolicyProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<PolicyProblem> problems() {
        return problems;
    }

    private static String describe(List<PolicyProblem> problems) {
        String source = problems.isEmpty() ? "policy" : problems.get(0).source();
        return problems.stream()
                .map(problem -> "  " + problem)
                .collect(Collectors.joining("\n",
                        source + " is not a valid policy (" + count(problems.size()) + "):\n", ""));
    }

    private static String count(int problems) {
        return problems == 1 ? "1 problem" : problems + " problems";
    }
}
