package io.agentmediator.rules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelStandardFunctions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Compiles policy rules' CEL conditions, once per policy, so no intent pays for parsing or type checking.
 * A condition must type-check against the variables of {@link RuleVariables} and be a bool, and must not
 * be over its cost limit whatever the intent ({@link RuleCostEstimate}); comprehensions nested over the
 * intent's lists compile with a warning, since only the intent decides whether they stay within it.
 */
public final class RuleCompiler {

    /**
     * One environment for every policy: immutable and thread-safe. The program planner is the runtime
     * CEL-Java recommends and the only one that evaluates native struct types. Besides the standard
     * library and macros, rules get the string and optional extensions: nothing that reads a clock or
     * the environment, so evaluation stays deterministic. The string extension's {@code replace} and
     * {@code join} are replaced by {@link BoundedStrings}, and the standard {@code matches} by
     * {@link BoundedRegex}, bound per evaluation to its budget.
     */
    private static final Cel CEL = RuleVariables.declare(CelFactory.plannerCelBuilder())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setStandardFunctions(CelStandardFunctions.newBuilder()
                    .excludeFunctions(CelStandardFunctions.StandardFunction.MATCHES).build())
            .addCompilerLibraries(unboundedStringsLeftOut(), CelExtensions.optional())
            .addRuntimeLibraries(unboundedStringsLeftOut(), CelExtensions.optional())
            .addFunctionDeclarations(BoundedStrings.declarations())
            .addLateBoundFunctions(BoundedStrings.REPLACE, BoundedStrings.JOIN, BoundedRegex.MATCHES)
            .setResultType(SimpleType.BOOL)
            .build();

    private RuleCompiler() {
    }

    private static CelStringExtensions unboundedStringsLeftOut() {
        EnumSet<CelStringExtensions.Function> functions = EnumSet.allOf(CelStringExtensions.Function.class);
        functions.remove(CelStringExtensions.Function.REPLACE);
        functions.remove(CelStringExtensions.Function.JOIN);
        return CelExtensions.strings(functions);
    }

    /** Every rule compiled under the default limits, or every error of every rule that does not compile. */
    public static RuleCompileResult compile(List<Rule> rules) {
        return compile(rules, RuleLimits.DEFAULT);
    }

    /** Every rule compiled under {@code limits}, or every error of every rule that does not compile. */
    public static RuleCompileResult compile(List<Rule> rules, RuleLimits limits) {
        List<CompiledRule> compiled = new ArrayList<>();
        List<RuleCompileError> errors = new ArrayList<>();
        List<RuleWarning> warnings = new ArrayList<>();
        long[] together = new long[RuleMode.values().length];
        for (int index = 0; index < rules.size(); index++) {
            Rule rule = rules.get(index);
            try {
                // The rule id as the source's name puts it in evaluation errors: "at schedule-variance:6".
                CelAbstractSyntaxTree checked = CEL.compile(rule.when(), rule.id()).getAst();
                RuleCostEstimate cost = RuleCostEstimate.of(checked.getExpr());
                if (cost.worstCaseSteps() > limits.costLimit()) {
                    errors.add(new RuleCompileError(index, rule.id(), 0, 0, "can take "
                            + (cost.worstCaseSteps() == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE
                                    : String.valueOf(cost.worstCaseSteps()))
                            + " evaluation steps, over the cost limit of " + limits.costLimit()
                            + " (defaults.ruleCostLimit): it would fail closed on every intent that gets that far"));
                    continue;
                }
                // By mode, as they are evaluated: rules on trial (AUDIT) never count against enforced ones.
                int mode = rule.mode().ordinal();
                boolean withinTogether = together[mode] <= limits.totalCostLimit();
                // Each within the cost limit (checked above), so the sum of any policy's rules stays far from overflowing.
                together[mode] += cost.worstCaseSteps();
                if (withinTogether && together[mode] > limits.totalCostLimit()) {
                    errors.add(new RuleCompileError(index, rule.id(), 0, 0, "with the " + rule.mode() + " rules before it can take "
                            + together[mode] + " evaluation steps, over the " + limits.totalCostLimit() + " all of a policy's "
                            + rule.mode() + " rules may take together (" + RuleLimits.RULES_TOGETHER + " times defaults.ruleCostLimit):"
                            + " every intent that reaches the rules pays for each"));
                }
                List<String> patterns = RegexLiterals.problems(checked, limits);
                if (!patterns.isEmpty()) {
                    for (String problem : patterns) {
                        errors.add(new RuleCompileError(index, rule.id(), 0, 0, problem));
                    }
                    continue;
                }
                if (cost.inputNesting() >= 2) {
                    warnings.add(new RuleWarning(index, rule.id(), "comprehensions nested " + cost.inputNesting()
                            + " deep over the intent's lists: its cost grows with the " + power(cost.inputNesting())
                            + " of their length, and an intent that takes it past the cost limit of "
                            + limits.costLimit() + " steps (defaults.ruleCostLimit) escalates RULE_ERROR"));
                }
                compiled.add(new CompiledRule(rule, CEL.createProgram(checked)));
            } catch (CelValidationException e) {
                for (CelIssue issue : e.getErrors()) {
                    errors.add(error(index, rule, issue));
                }
            } catch (CelEvaluationException e) {
                // Planning a checked expression fails only when the runtime lacks what the checker allowed.
                errors.add(new RuleCompileError(index, rule.id(), 0, 0, e.getMessage()));
            }
        }
        return errors.isEmpty()
                ? RuleCompileResult.compiled(new CompiledRules(compiled, limits), warnings)
                : RuleCompileResult.failed(errors);
    }

    private static String power(int exponent) {
        return switch (exponent) {
            case 2 -> "square";
            case 3 -> "cube";
            default -> exponent + "th power";
        };
    }

    private static RuleCompileError error(int index, Rule rule, CelIssue issue) {
        CelSourceLocation location = issue.getSourceLocation();
        boolean known = location.getLine() > 0;
        return new RuleCompileError(index, rule.id(), known ? location.getLine() : 0,
                known ? location.getColumn() + 1 : 0, issue.getMessage());
    }
}
