package io.agentmediator.rules;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

/** One rule with its condition compiled to an immutable CEL program, which stream threads share. */
record CompiledRule(Rule rule, CelRuntime.Program program) {

    /**
     * Evaluates the rule against {@code budget}, restarted for it, with {@code functions} bound to that
     * same budget. Never throws for a condition that cannot be evaluated, or that was stopped at a limit:
     * that is an ERROR outcome, which fails closed.
     */
    RuleOutcome evaluate(CelVariableResolver variables, CelFunctionResolver functions, RuleBudget budget) {
        budget.restart(rule.mode());
        Object result;
        try {
            result = program.trace(variables, functions, budget);
        } catch (CelEvaluationException e) {
            return RuleOutcome.error(rule, e.getMessage());
        } catch (RuleBudget.OverLimit e) {
            return RuleOutcome.error(rule, e.getMessage());
        }
        if (result instanceof Boolean fired) {
            return RuleOutcome.of(rule, fired);
        }
        // The compiler insists on bool, but dyn(...) can still smuggle in something else.
        return RuleOutcome.error(rule, "evaluated to " + result + " (" + result.getClass().getSimpleName()
                + "), not a bool");
    }
}
