package io.agentmediator.ledger;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.internal.LedgerRequest;
import io.agentmediator.schema.internal.LedgerRequestKind;
import io.agentmediator.schema.internal.LedgerStep;
import java.time.Instant;
import java.util.List;

/**
 * The requests the agent side sends the resource ledger. A claim is sent keyed by its first step's
 * entry; the others by the ledger entry they are about.
 */
public final class LedgerRequests {

    private LedgerRequests() {}

    /** Take every step, in order, or none. */
    public static LedgerRequest claim(AgentIntent intent, String agentId, List<LedgerStep> steps, Instant at) {
        return base(LedgerRequestKind.CLAIM, intent.getIntentId(), agentId, at).setSteps(steps).build();
    }

    /** Take this resource step whatever the capacity: a person approved the conflict. */
    public static LedgerRequest force(AgentIntent intent, String agentId, LedgerStep step, Instant at) {
        return base(LedgerRequestKind.FORCE, intent.getIntentId(), agentId, at).setSteps(List.of(step)).build();
    }

    /** Drop what the intent holds at the key this is sent to. */
    public static LedgerRequest release(String intentId, String agentId, Instant at) {
        return base(LedgerRequestKind.RELEASE, intentId, agentId, at).build();
    }

    /**
     * Drop what the claim the intent sent at {@code claimAt} took at the key this is sent to: nothing an earlier intent of the
     * agent holds there under the same id, which a claim withdrawn before its walk got there never reached.
     */
    public static LedgerRequest releaseClaim(String intentId, String agentId, Instant claimAt, Instant at) {
        return base(LedgerRequestKind.RELEASE, intentId, agentId, at).setClaimAt(claimAt).build();
    }

    /** Settle what the intent holds at the key this is sent to, as the executor reported. */
    public static LedgerRequest outcome(String intentId, String agentId, OutcomeStatus status, Long actualCostMicros, Instant at) {
        return base(LedgerRequestKind.OUTCOME, intentId, agentId, at).setStatus(status).setActualCostMicros(actualCostMicros).build();
    }

    /** The intent waits, since {@code at}, for the task this is sent to. */
    public static LedgerRequest await(String intentId, String agentId, Instant at) {
        return base(LedgerRequestKind.AWAIT, intentId, agentId, at).build();
    }

    /** The intent, decided before the task this is sent to finished, waits for it no more. */
    public static LedgerRequest stopWaiting(String intentId, String agentId, Instant at) {
        return base(LedgerRequestKind.STOP_WAITING, intentId, agentId, at).build();
    }

    private static LedgerRequest.Builder base(LedgerRequestKind kind, String intentId, String agentId, Instant at) {
        return LedgerRequest.newBuilder().setKind(kind).setIntentId(intentId).setAgentId(agentId).setAt(at)
                .setSteps(List.of()).setStep(0).setExpiresAt(null).setStatus(null).setActualCostMicros(null);
    }
}
