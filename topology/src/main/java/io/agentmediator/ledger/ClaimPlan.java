package io.agentmediator.ledger;

import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.internal.LedgerStep;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What an intent takes from the resource ledger, in the order a claim walks it: the agent's
 * shared pool first (an exceeded pool rejects, which outranks the escalation a conflict raises,
 * so there is no point holding resources before it), then its claims by resource. One order for
 * every intent, whatever order each lists its claims in: two intents walking two resources in
 * opposite orders could each take its first and find the other holding its second, and both
 * would be escalated as conflicts though either alone fitted; in one order the second to arrive
 * meets the first at their first shared resource, and the first is granted.
 * Empty for the common intent that contends for nothing (no claims, no pool), which the gate decides in one hop.
 */
public final class ClaimPlan {

    private ClaimPlan() {}

    /** Whether {@link #steps} has any: the intent claims a resource or charges its agent's pool. */
    public static boolean contends(AgentIntent intent, AgentProfile agent, Policy policy) {
        return !intent.getClaims().isEmpty() || charged(agent, policy);
    }

    public static List<LedgerStep> steps(AgentIntent intent, AgentProfile agent, Policy policy) {
        List<LedgerStep> steps = new ArrayList<>();
        // Even an estimate of 0 reserves its place in the pool: the executor may report an actual cost, which
        // the outcome can only settle where a reservation names the windows to charge.
        if (charged(agent, policy)) {
            steps.add(new LedgerStep(LedgerKey.pool(agent.pool()).toString(), 0L, null, null, intent.getCostMicros()));
        }
        steps.addAll(claims(intent));
        return List.copyOf(steps);
    }

    private static boolean charged(AgentProfile agent, Policy policy) {
        return agent.pool() != null && policy.pools().containsKey(agent.pool());
    }

    /**
     * The intent's resource claims alone, by resource (two claims on one resource as the intent lists them): what an approved
     * conflict takes regardless of capacity.
     */
    public static List<LedgerStep> claims(AgentIntent intent) {
        return intent.getClaims().stream()
                .map(claim -> new LedgerStep(LedgerKey.resource(claim.getResourceId()).toString(), claim.getQuantity(), claim.getFrom(),
                        claim.getUntil(), 0L))
                .sorted(Comparator.comparing(LedgerStep::getKey))
                .toList();
    }
}
