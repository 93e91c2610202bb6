package io.agentmediator.rules;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.ExprKind.Kind;
import dev.cel.common.values.CelByteString;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * Meters one evaluation of one rule: CEL calls it after every step with the value the step yielded. Past
 * a limit it throws, and keeps throwing at every later step, so neither CEL's error absorption
 * ({@code error || true} is true) nor a comprehension that goes on after an error can run on unmetered.
 * One per evaluation: it counts.
 */
final class RuleBudget implements CelEvaluationListener {

    private final RuleLimits limits;
    private long spent;
    private String exceeded;

    RuleBudget(RuleLimits limits) {
        this.limits = limits;
    }

    @Override
    public void callback(CelExpr expr, Object value) {
        if (exceeded != null) {
            throw new OverLimit(exceeded);
        }
        spent += 1 + textLength(value) / RuleLimits.CHARS_PER_UNIT;
        // Entries are paid for where the rule reads a list from the intent: a comprehension's growing
        // accumulator is the same list at every step, and paying for it each time would be quadratic.
        if (expr.getKind() == Kind.SELECT) {
            spent += entries(value) / RuleLimits.CHARS_PER_UNIT;
        }
        if (spent > limits.costLimit()) {
            stop(RuleLimitCount.Limit.COST, "over its cost limit of " + limits.costLimit()
                    + " evaluation steps (defaults.ruleCostLimit)");
        }
        if (builds(expr)) {
            mayBuild(Math.max(textLength(value), entries(value)));
        }
    }

    /** Throws unless a value of {@code size} characters or entries is within the size limit. */
    void mayBuild(long size) {
        if (size > limits.sizeLimit()) {
            stop(RuleLimitCount.Limit.SIZE, "would build a value of " + size
                    + " characters or entries, over its size limit of " + limits.sizeLimit()
                    + " (defaults.ruleSizeLimit)");
        }
    }

    /** Why the evaluation was stopped, or null when it stayed within its limits. */
    String exceeded() {
        return exceeded;
    }

    private void stop(RuleLimitCount.Limit limit, String why) {
        exceeded = why;
        RuleLimitCount.exceeded(limit);
        throw new OverLimit(why);
    }

    /** Values the rule made rather than read: what the size limit is about. */
    private static boolean builds(CelExpr expr) {
        Kind kind = expr.getKind();
        return kind == Kind.CALL || kind == Kind.LIST || kind == Kind.MAP || kind == Kind.COMPREHENSION;
    }

    private static long textLength(Object value) {
        if (value instanceof String text) {
            return text.length();
        }
        if (value instanceof CelByteString bytes) {
            return bytes.size();
        }
        return 0;
    }

    private static long entries(Object value) {
        if (value instanceof Collection<?> list) {
            return list.size();
        }
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        return 0;
    }

    /** Thrown through CEL, which wraps it in its evaluation error; {@link #exceeded()} says why. */
    static final class OverLimit extends RuntimeException {
        OverLimit(String why) {
            super(why, null, false, false);
        }
    }
}
