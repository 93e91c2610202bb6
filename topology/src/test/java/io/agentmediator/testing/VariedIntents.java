package io.agentmediator.testing;

import io.agentmediator.schema.AgentIntent;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Random intents of which about one in {@code oneIn} meets each ordinary ground of the gate: an action
 * outside the usual capabilities ({@code payroll.run}), a commitment over any authority, a low
 * confidence, an attribute {@code risk} of 0.95 (for a policy rule that escalates) and an attribute
 * {@code blocked} (for one that rejects; a policy without such a rule ignores it). The rest are
 * ordinary {@code invoice.create} on {@code erp}. Tests that compare a run with {@code backtest} use
 * them so that the oracle has every outcome to check.
 */
public final class VariedIntents {

    /** The policy rule, an item of a policy's {@code rules}, that escalates the intents drawn risky. */
    public static final String RISKY_RULE = """
              - id: risky
                when: "'risk' in intent.attributes && double(intent.attributes['risk']) > 0.8"
                effect: ESCALATE
                tier: MANAGER
                mode: ENFORCE
            """;

    private VariedIntents() {}

    /**
     * The policy entry, an item of a policy's {@code agents}, of an agent for which the grounds above
     * hold: {@code invoice.*} on {@code erp} allowed, an authority the large commitment exceeds; with its
     * token bucket and {@code budgets} (a YAML list).
     */
    public static String agentYaml(String id, int rateCapacity, int refillPerSecond, String budgets) {
        return "  - id: " + id + "\n"
                + "    capabilities: { actions: [\"invoice.*\"], targets: [\"erp\"] }\n"
                + "    authority: { maxCommitmentMicros: 5000000000 }\n"
                + "    rateLimit: { capacity: " + rateCapacity + ", refillPerSecond: " + refillPerSecond + " }\n"
                + "    budgets: " + budgets + "\n";
    }

    /** One intent, of {@code agentOf} a random index below {@code agents}, costing {@code minCost} plus up to {@code costSpread}. */
    public static AgentIntent draw(Random random, int oneIn, String intentId, IntFunction<String> agentOf, int agents, long minCost, int costSpread) {
        int roll = random.nextInt(oneIn);
        return AgentIntent.newBuilder()
                .setIntentId(intentId)
                .setAgentId(agentOf.apply(random.nextInt(agents)))
                .setAction(roll == 0 ? "payroll.run" : "invoice.create")
                .setTarget("erp")
                .setCostMicros(minCost + random.nextInt(costSpread))
                .setCommitmentMicros(roll == 1 ? 9_000_000_000L : random.nextInt(1_000_000))
                .setConfidence(roll == 2 ? 0.3 : 0.9)
                .setAttributes(roll == 3 ? Map.of("risk", "0.95") : roll == 4 ? Map.of("blocked", "yes") : Map.of())
                .build();
    }
}
