package io.agentmediator.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import java.util.List;
import java.util.Optional;

/**
 * The patterns a rule writes into its {@code matches} calls, judged when the policy is: one that does not parse, or that
 * would compile past the rule's size limit, would fail every intent that reaches it, so it is refused with the policy
 * rather than found on the first intent. Patterns the rule reads from the intent are judged as each is matched.
 */
final class RegexLiterals {

    private RegexLiterals() {
    }

    /** Why each pattern written in {@code checked} could never be matched under {@code limits}. */
    static List<String> problems(CelAbstractSyntaxTree checked, RuleLimits limits) {
        return CelNavigableAst.fromAst(checked).getRoot().allNodes()
                .map(CelNavigableExpr::expr)
                .flatMap(expr -> writtenPattern(expr).stream())
                .flatMap(pattern -> problem(pattern, limits).stream())
                .toList();
    }

    /** The pattern of a {@code matches} call when it is a string written in the rule. */
    private static Optional<String> writtenPattern(CelExpr expr) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.CALL || !expr.call().function().equals(BoundedRegex.MATCHES)) {
            return Optional.empty();
        }
        List<CelExpr> args = expr.call().args();
        // text.matches(pattern) has the pattern as its one argument; matches(text, pattern) as its second.
        CelExpr pattern = args.get(args.size() - 1);
        if (pattern.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                || pattern.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
            return Optional.empty();
        }
        return Optional.of(pattern.constant().stringValue());
    }

    private static Optional<String> problem(String pattern, RuleLimits limits) {
        try {
            RegexCost cost = BoundedRegex.checked(pattern);
            if (cost.instructions() > limits.sizeLimit()) {
                return Optional.of("the regular expression '" + pattern + "' would compile to about " + cost.instructions()
                        + " instructions, over the size limit of " + limits.sizeLimit() + " (defaults.ruleSizeLimit)");
            }
            Pattern.compile(pattern);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("the regular expression does not parse: " + e.getMessage());
        }
    }
}
