package io.agentmediator.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems of one policy source, so reading can go on past the first and report them all,
 * and the warnings: what does not make the policy invalid but its author should hear about.
 */
final class Problems {

    private final String source;
    private final List<PolicyProblem> found = new ArrayList<>();
    private final List<PolicyProblem> warnings = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    void at(PolicyNode node, String message) {
        add(node.path(), node.mark(), message);
    }

    void warnAt(PolicyNode node, String message) {
        warnings.add(new PolicyProblem(source, node.path(), node.mark().line(), node.mark().column(), message));
    }

    List<PolicyProblem> warnings() {
        return List.copyOf(warnings);
    }

    void add(String path, PolicyNode.Mark mark, String message) {
        found.add(new PolicyProblem(source, path, mark.line(), mark.column(), message));
    }

    /** How many so far: a binder compares counts to tell whether the part it just read was sound. */
    int count() {
        return found.size();
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** By line and column; problems without a place (a policy record) keep the order they were found in. */
    List<PolicyProblem> inDocumentOrder() {
        List<PolicyProblem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(PolicyProblem::line).thenComparingInt(PolicyProblem::column));
        return sorted;
    }
}
