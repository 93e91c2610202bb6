package io.agentmediator.rules;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.CelComprehension;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * What can be told of a rule's cost before any intent arrives, from its checked expression.
 *
 * @param worstCaseSteps evaluation steps in the worst case when every comprehension runs over a list
 *                       written in the rule, counting those over the intent's lists as if they were
 *                       empty: a lower bound of the worst case, exact when the rule reads no list
 * @param inputNesting   how deep comprehensions over the intent's lists are nested: 2 means the cost
 *                       grows with the square of their length, 0 that it does not grow with them
 */
record RuleCostEstimate(long worstCaseSteps, int inputNesting) {

    static RuleCostEstimate of(CelExpr expr) {
        return switch (expr.getKind()) {
            case SELECT -> of(expr.select().operand()).plusStep();
            case CALL -> {
                List<CelExpr> parts = new ArrayList<>(expr.call().args());
                expr.call().target().ifPresent(parts::add);
                yield sum(parts).plusStep();
            }
            case LIST -> sum(expr.list().elements()).plusStep();
            case MAP -> {
                List<CelExpr> parts = new ArrayList<>();
                expr.map().entries().forEach(entry -> {
                    parts.add(entry.key());
                    parts.add(entry.value());
                });
                yield sum(parts).plusStep();
            }
            case STRUCT -> sum(expr.struct().entries().stream().map(CelExpr.CelStruct.Entry::value).toList())
                    .plusStep();
            case COMPREHENSION -> comprehension(expr.comprehension());
            default -> new RuleCostEstimate(1, 0);
        };
    }

    private static RuleCostEstimate comprehension(CelComprehension loop) {
        RuleCostEstimate once = sum(List.of(loop.iterRange(), loop.accuInit(), loop.result()));
        RuleCostEstimate each = sum(List.of(loop.loopCondition(), loop.loopStep()));
        OptionalLong written = writtenSize(loop.iterRange());
        long iterations = written.orElse(0);
        int nesting = written.isPresent() ? each.inputNesting : each.inputNesting + 1;
        return new RuleCostEstimate(add(add(once.worstCaseSteps, multiply(iterations, each.worstCaseSteps)), 1),
                Math.max(once.inputNesting, nesting));
    }

    /** The size of a list or map written in the rule; empty for anything read or computed. */
    private static OptionalLong writtenSize(CelExpr range) {
        return switch (range.getKind()) {
            case LIST -> OptionalLong.of(range.list().elements().size());
            case MAP -> OptionalLong.of(range.map().entries().size());
            default -> OptionalLong.empty();
        };
    }

    private static RuleCostEstimate sum(List<CelExpr> parts) {
        long steps = 0;
        int nesting = 0;
        for (CelExpr part : parts) {
            RuleCostEstimate estimate = of(part);
            steps = add(steps, estimate.worstCaseSteps);
            nesting = Math.max(nesting, estimate.inputNesting);
        }
        return new RuleCostEstimate(steps, nesting);
    }

    private RuleCostEstimate plusStep() {
        return new RuleCostEstimate(add(worstCaseSteps, 1), inputNesting);
    }

    /** Saturating: a rule nested deep enough to overflow is simply "more than any limit". */
    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long multiply(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
