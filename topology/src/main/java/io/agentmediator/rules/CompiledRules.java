package io.agentmediator.rules;

import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelVariableResolver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * A policy's rules compiled once, evaluated for every intent the policy decides. Immutable and free of
 * side effects, so stream threads share one instance; given the same input it gives the same outcomes.
 * Two are equal when they were compiled from the same rules under the same limits, so a {@code Policy}
 * stays comparable.
 */
public final class CompiledRules {

    private final List<CompiledRule> compiled;
    private final List<Rule> rules;
    private final RuleLimits limits;

    CompiledRules(List<CompiledRule> compiled, RuleLimits limits) {
        this.compiled = List.copyOf(compiled);
        this.rules = this.compiled.stream().map(CompiledRule::rule).toList();
        this.limits = limits;
    }

    /** The rules, in policy order. */
    public List<Rule> rules() {
        return rules;
    }

    /** What each evaluation of a rule may spend. */
    public RuleLimits limits() {
        return limits;
    }

    /** Every rule's outcome, in policy order; a rule that cannot be evaluated is an ERROR outcome, never thrown. */
    public List<RuleOutcome> evaluate(RuleInput input) {
        if (compiled.isEmpty()) {
            return List.of();
        }
        CelVariableResolver variables = RuleVariables.of(input);
        // Bound once for all the rules, not once per rule: building CEL's function bindings cost more
        // than evaluating a simple rule (bench profile, docs/BENCHMARKS.md).
        RuleBudget budget = new RuleBudget(limits);
        CelFunctionResolver functions = CelLateFunctionBindings.from(
                Stream.concat(BoundedStrings.boundTo(budget).stream(), BoundedRegex.boundTo(budget).stream()).toList());
        List<RuleOutcome> outcomes = new ArrayList<>(compiled.size());
        for (CompiledRule rule : compiled) {
            outcomes.add(rule.evaluate(variables, functions, budget));
        }
        return Collections.unmodifiableList(outcomes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CompiledRules that && rules.equals(that.rules) && limits.equals(that.limits);
    }

    @Override
    public int hashCode() {
        return 31 * rules.hashCode() + limits.hashCode();
    }

    @Override
    public String toString() {
        return "CompiledRules" + rules.stream().map(Rule::id).toList();
    }
}
