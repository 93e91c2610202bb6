package io.agentmediator.rules;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.exceptions.CelInvalidArgumentException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;

/**
 * CEL's {@code matches}, with what the pattern would compile to ({@link RegexCost}) checked against the rule's budget
 * before RE2J compiles it: the program counts against the size limit, and matching it against the text (RE2J's
 * automaton steps through the program for each character) against the cost limit. CEL's own compiles first, and a
 * pattern of a few characters, from the intent or the policy, filled the heap while it compiled. Same semantics as
 * CEL's: RE2 syntax, true when the pattern matches anywhere in the text.
 */
final class BoundedRegex {

    static final String MATCHES = "matches";

    /** The standard library's overloads, declared as CEL declares them; only their implementation is ours. */
    private static final String GLOBAL = "matches";
    private static final String MEMBER = "matches_string";

    private BoundedRegex() {
    }

    static List<CelFunctionBinding> boundTo(RuleBudget budget) {
        return List.of(
                CelFunctionBinding.from(GLOBAL, String.class, String.class, (text, pattern) -> matches(budget, text, pattern)),
                CelFunctionBinding.from(MEMBER, String.class, String.class, (text, pattern) -> matches(budget, text, pattern)));
    }

    static boolean matches(RuleBudget budget, String text, String pattern) {
        Pattern compiled;
        try {
            RegexCost cost = checked(pattern);
            budget.mayBuild(cost.instructions());
            budget.pay(cost.instructions() * (text.length() + 1L) / RuleLimits.CHARS_PER_UNIT);
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            // As CEL's own matches reports it: an evaluation error saying what is wrong with the pattern.
            throw new CelInvalidArgumentException(e.getMessage());
        }
        return compiled.matcher(text).find();
    }

    /** What {@code pattern} costs, if RE2 would accept its repeats; a syntax error as RE2J's own otherwise. */
    static RegexCost checked(String pattern) {
        RegexCost cost = RegexCost.of(pattern);
        if (cost.nestedRepeat() > RegexCost.MAX_NESTED_REPEAT) {
            throw new PatternSyntaxException("the counts of nested repeats multiply to " + cost.nestedRepeat() + ", over RE2's limit of "
                    + RegexCost.MAX_NESTED_REPEAT, abbreviated(pattern));
        }
        return cost;
    }

    private static String abbreviated(String pattern) {
        return pattern.length() <= 80 ? pattern : pattern.substring(0, 80) + "...[" + pattern.length() + " chars]";
    }
}
