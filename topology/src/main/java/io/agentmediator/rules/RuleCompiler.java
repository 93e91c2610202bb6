package io.agentmediator.rules;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import io.agentmediator.policy.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles policy rules' CEL conditions, once per policy, so no intent pays for parsing or type checking.
 * A condition must type-check against the variables of {@link RuleVariables} and be a bool.
 */
public final class RuleCompiler {

    /**
     * One environment for every policy: immutable and thread-safe. The program planner is the runtime
     * CEL-Java recommends and the only one that evaluates native struct types. Besides the standard
     * library and macros, rules get the string and optional extensions: nothing that reads a clock or
     * the environment, so evaluation stays deterministic.
     */
    private static final Cel CEL = RuleVariables.declare(CelFactory.plannerCelBuilder())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings(), CelExtensions.optional())
            .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.optional())
            .setResultType(SimpleType.BOOL)
            .build();

    private RuleCompiler() {
    }

    /** Every rule compiled, or every error of every rule that does not compile. */
    public static RuleCompileResult compile(List<Rule> rules) {
        List<CompiledRule> compiled = new ArrayList<>();
        List<RuleCompileError> errors = new ArrayList<>();
        for (int index = 0; index < rules.size(); index++) {
            Rule rule = rules.get(index);
            try {
                // The rule id as the source's name puts it in evaluation errors: "at schedule-variance:6".
                CelAbstractSyntaxTree checked = CEL.compile(rule.when(), rule.id()).getAst();
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
                ? RuleCompileResult.compiled(new CompiledRules(compiled))
                : RuleCompileResult.failed(errors);
    }

    private static RuleCompileError error(int index, Rule rule, CelIssue issue) {
        CelSourceLocation location = issue.getSourceLocation();
        boolean known = location.getLine() > 0;
        return new RuleCompileError(index, rule.id(), known ? location.getLine() : 0,
                known ? location.getColumn() + 1 : 0, issue.getMessage());
    }
}
