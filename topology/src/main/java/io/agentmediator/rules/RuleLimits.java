package io.agentmediator.rules;

/**
 * What evaluating one rule for one intent may spend; past either limit the rule stops and its outcome is
 * an ERROR, which fails closed (RULE_ERROR, escalated). Both limits are bounded by ceilings, so no policy
 * can take away the guarantee that a rule ends, soon, without exhausting the heap.
 *
 * @param costLimit evaluation steps: each step (a variable read, a call, an iteration's condition and
 *                  step) costs 1, plus 1 per {@value #CHARS_PER_UNIT} characters or entries of the string,
 *                  list or map it yields, so work over large values is paid for
 * @param sizeLimit the longest string (characters) or largest list or map (entries) a rule may build; the
 *                  intent's own values are not limited by it, what the rule makes of them is
 */
public record RuleLimits(long costLimit, int sizeLimit) {

    /** Characters, or entries, that cost one step. */
    public static final int CHARS_PER_UNIT = 16;

    /** A few hundredths of a second of one stream thread, a few tenths on a busy machine. */
    public static final long DEFAULT_COST_LIMIT = 100_000;
    /** With a step paying for every 16 characters it yields, at most 160 million characters built. */
    public static final long MAX_COST_LIMIT = 10_000_000;
    public static final int DEFAULT_SIZE_LIMIT = 1_000_000;
    /** A built value is at most twice this (the concatenation of two at the limit): 40 MB of characters. */
    public static final int MAX_SIZE_LIMIT = 10_000_000;

    /**
     * A policy's rules together may spend this many times one rule's cost limit on one intent: each rule alone within its
     * limit, three hundred of them cost an intent seconds.
     */
    public static final int RULES_TOGETHER = 10;

    public static final RuleLimits DEFAULT = new RuleLimits(DEFAULT_COST_LIMIT, DEFAULT_SIZE_LIMIT);

    /** What all of a policy's rules may spend on one intent together. */
    public long totalCostLimit() {
        return costLimit * RULES_TOGETHER;
    }

    public RuleLimits {
        if (costLimit < 1 || costLimit > MAX_COST_LIMIT) {
            throw new IllegalArgumentException("costLimit must be in [1, " + MAX_COST_LIMIT + "], found " + costLimit);
        }
        if (sizeLimit < 1 || sizeLimit > MAX_SIZE_LIMIT) {
            throw new IllegalArgumentException("sizeLimit must be in [1, " + MAX_SIZE_LIMIT + "], found " + sizeLimit);
        }
    }
}
