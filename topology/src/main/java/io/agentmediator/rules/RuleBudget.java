package io.agentmediator.rules;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.ExprKind.Kind;
import dev.cel.common.values.CelByteString;
import dev.cel.runtime.CelEvaluationListener;
import java.util.Collection;
import java.util.Map;

/**
 * Meters the evaluation of one rule: CEL calls it after every step with the value the step yielded. Past
 * a limit it throws {@link OverLimit}, which ends the evaluation at once. It counts, so one serves one
 * thread's evaluation of a policy's rules, restarted before each rule: a rule is not charged for the
 * steps of the rules before it, but all of them of one mode together are held to {@link RuleLimits#totalCostLimit()}.
 * By mode, because an AUDIT rule is only recorded: what rules on trial spend must never make an enforced one fail.
 */
final class RuleBudget implements CelEvaluationListener {

    private final RuleLimits limits;
    private long spent;
    /**
     * What the rules of each mode evaluated before this one spent, each counted up to the cost limit: one stopped at its own
     * limit by a single large charge (a pattern run over a long text) has not spent the other rules' share. Not restarted.
     */
    private final long[] totals = new long[RuleMode.values().length];
    private RuleMode mode = RuleMode.ENFORCE;

    RuleBudget(RuleLimits limits) {
        this.limits = limits;
    }

    /** Before a rule of {@code mode}: its own spending from nothing, its mode's total going on. */
    void restart(RuleMode mode) {
        totals[this.mode.ordinal()] += Math.min(spent, limits.costLimit());
        this.mode = mode;
        spent = 0;
    }

    @Override
    public void callback(CelExpr expr, Object value) {
        // Entries are paid for where the rule reads a list from the intent: a comprehension's growing
        // accumulator is the same list at every step, and paying for it each time would be quadratic.
        pay(1 + textLength(value) / RuleLimits.CHARS_PER_UNIT
                + (expr.getKind() == Kind.SELECT ? entries(value) / RuleLimits.CHARS_PER_UNIT : 0));
        if (builds(expr)) {
            mayBuild(Math.max(textLength(value), entries(value)));
        }
    }

    /** Charges {@code steps}: a step of CEL's, or the work a function does within one (matching a regular expression). */
    void pay(long steps) {
        spent += steps;
        if (spent > limits.costLimit()) {
            stop(RuleLimitCount.Limit.COST, "over its cost limit of " + limits.costLimit()
                    + " evaluation steps (defaults.ruleCostLimit)");
        }
        if (totals[mode.ordinal()] + spent > limits.totalCostLimit()) {
            stop(RuleLimitCount.Limit.COST, "the policy's " + mode + " rules together are over " + limits.totalCostLimit()
                    + " evaluation steps, " + RuleLimits.RULES_TOGETHER + " times the cost limit (defaults.ruleCostLimit)");
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

    private void stop(RuleLimitCount.Limit limit, String why) {
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

    /**
     * An Error, not an exception, so that it passes through CEL, which catches exceptions to absorb them
     * ({@code error || true} is true, {@code all} goes on after an element's error): a budget spent must
     * end the evaluation, not make every remaining step fail one at a time. Our own type, caught only by
     * {@link CompiledRule}, which makes it the rule's ERROR outcome.
     */
    static final class OverLimit extends Error {
        OverLimit(String why) {
            super(why, null, false, false);
        }
    }
}
