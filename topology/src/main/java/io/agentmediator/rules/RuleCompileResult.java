package io.agentmediator.rules;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Either every rule compiled, or every error found: one rule that does not compile makes the whole
 * policy invalid, but its author gets to fix all of them in one go.
 */
public final class RuleCompileResult {

    private final CompiledRules compiledRules;
    private final List<RuleCompileError> errors;
    private final List<RuleWarning> warnings;

    private RuleCompileResult(CompiledRules compiledRules, List<RuleCompileError> errors, List<RuleWarning> warnings) {
        this.compiledRules = compiledRules;
        this.errors = errors;
        this.warnings = List.copyOf(warnings);
    }

    static RuleCompileResult compiled(CompiledRules compiledRules, List<RuleWarning> warnings) {
        return new RuleCompileResult(Objects.requireNonNull(compiledRules, "compiledRules"), List.of(), warnings);
    }

    static RuleCompileResult failed(List<RuleCompileError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a failed compilation has at least one error");
        }
        return new RuleCompileResult(null, List.copyOf(errors), List.of());
    }

    public boolean isValid() {
        return compiledRules != null;
    }

    /** The compiled rules; throws {@link IllegalArgumentException} naming every error when some did not compile. */
    public CompiledRules compiledRules() {
        if (compiledRules == null) {
            throw new IllegalArgumentException("rules do not compile: "
                    + errors.stream().map(RuleCompileError::toString).collect(Collectors.joining("; ")));
        }
        return compiledRules;
    }

    /** The errors in rule order; empty when every rule compiled. */
    public List<RuleCompileError> errors() {
        return errors;
    }

    /** What the authors of rules that compiled should know, in rule order; empty when it failed. */
    public List<RuleWarning> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return isValid() ? "compiled " + compiledRules : errors.size() + " errors, first: " + errors.get(0);
    }
}
