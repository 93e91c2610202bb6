package io.agentmediator.gate;

import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.ratelimit.TokenBucket;

/**
 * The per-agent state the gate decides with, as the agent gate's stores hold it. The decider
 * reads through this and hands back what changed; the processor writes it back.
 */
public interface GateState {

    /** Whether an intent with this id was decided before: within the dedupe retention, or while its case is kept. */
    boolean alreadyDecided(String intentId);

    /** The agent's token bucket, or null when it never had one. */
    TokenBucket bucket(String agentId);

    /** The agent's budget ledger; an empty one when it never spent. */
    BudgetLedger ledger(String agentId);

    /** How many of the agent's intents wait for their dependencies now. */
    long waiting(String agentId);

    /** How many bytes are kept in memory for the agent's open escalations, waiting intents and intents whose claims are out. */
    long keptBytes(String agentId);
}
