package io.agentmediator.rules;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;

/**
 * {@code replace} and {@code join} of CEL's string extension, with the size of their result known before
 * it is built. They are the two functions whose result can be far larger than their arguments
 * ({@code s.replace('', s)} is quadratic, a list of one long string repeated joins to any length), so a
 * check after the fact would come after the heap ran out. Bound late, to the {@link RuleBudget} of one
 * evaluation of the rules, so each call is checked against the budget of the rule that makes it. Same
 * semantics as CEL's: code points, and a negative count means every occurrence.
 */
final class BoundedStrings {

    static final String REPLACE = "replace";
    static final String JOIN = "join";

    private static final String REPLACE_ALL = "rules_string_replace";
    private static final String REPLACE_N = "rules_string_replace_n";
    private static final String JOIN_PLAIN = "rules_list_join";
    private static final String JOIN_SEPARATED = "rules_list_join_separator";

    private BoundedStrings() {
    }

    static List<CelFunctionDecl> declarations() {
        ListType strings = ListType.create(SimpleType.STRING);
        return List.of(
                CelFunctionDecl.newFunctionDeclaration(REPLACE,
                        CelOverloadDecl.newMemberOverload(REPLACE_ALL, SimpleType.STRING,
                                SimpleType.STRING, SimpleType.STRING, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload(REPLACE_N, SimpleType.STRING,
                                SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.INT)),
                CelFunctionDecl.newFunctionDeclaration(JOIN,
                        CelOverloadDecl.newMemberOverload(JOIN_PLAIN, SimpleType.STRING, strings),
                        CelOverloadDecl.newMemberOverload(JOIN_SEPARATED, SimpleType.STRING, strings,
                                SimpleType.STRING)));
    }

    /** The functions for one evaluation, each refusing to build a string over {@code budget}'s size limit. */
    static List<CelFunctionBinding> boundTo(RuleBudget budget) {
        return List.of(
                CelFunctionBinding.from(REPLACE_ALL, List.of(String.class, String.class, String.class),
                        args -> replace(budget, (String) args[0], (String) args[1], (String) args[2], -1)),
                CelFunctionBinding.from(REPLACE_N, List.of(String.class, String.class, String.class, Long.class),
                        args -> replace(budget, (String) args[0], (String) args[1], (String) args[2], (Long) args[3])),
                CelFunctionBinding.from(JOIN_PLAIN, List.class, list -> join(budget, list, "")),
                CelFunctionBinding.from(JOIN_SEPARATED, List.class, String.class,
                        (list, separator) -> join(budget, list, separator)));
    }

    static String replace(RuleBudget budget, String text, String old, String replacement, long count) {
        long occurrences = occurrences(text, old, count);
        budget.mayBuild(text.length() + occurrences * ((long) replacement.length() - old.length()));
        if (occurrences == 0) {
            return text;
        }
        StringBuilder result = new StringBuilder();
        if (old.isEmpty()) {
            // Before each code point, and at the end when every occurrence is asked for.
            int index = 0;
            for (long done = 0; done < occurrences; done++) {
                result.append(replacement);
                if (index < text.length()) {
                    int next = text.offsetByCodePoints(index, 1);
                    result.append(text, index, next);
                    index = next;
                }
            }
            return result.append(text, index, text.length()).toString();
        }
        int index = 0;
        for (long done = 0; done < occurrences; done++) {
            int found = text.indexOf(old, index);
            result.append(text, index, found).append(replacement);
            index = found + old.length();
        }
        return result.append(text, index, text.length()).toString();
    }

    /** How many occurrences a replacement touches; for an empty {@code old}, every place between code points. */
    private static long occurrences(String text, String old, long count) {
        long limit = count < 0 ? Long.MAX_VALUE : count;
        if (old.isEmpty()) {
            return Math.min(limit, text.codePointCount(0, text.length()) + 1L);
        }
        long found = 0;
        for (int index = text.indexOf(old); index >= 0 && found < limit; index = text.indexOf(old, index + old.length())) {
            found++;
        }
        return found;
    }

    static String join(RuleBudget budget, List<?> list, String separator) {
        long length = list.isEmpty() ? 0 : (long) separator.length() * (list.size() - 1);
        for (Object item : list) {
            length += ((String) item).length();
        }
        budget.mayBuild(length);
        StringBuilder result = new StringBuilder((int) length);
        for (int index = 0; index < list.size(); index++) {
            if (index > 0) {
                result.append(separator);
            }
            result.append((String) list.get(index));
        }
        return result.toString();
    }
}
