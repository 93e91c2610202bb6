package io.agentmediator.ledger;

import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.internal.LedgerRequest;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** What the agent partition's processors ask of the resource ledger, sent keyed by the ledger entry it is about. */
public final class LedgerOutbox {

    private final ProcessorContext<Object, Object> context;
    private final String requestsChild;

    public LedgerOutbox(ProcessorContext<Object, Object> context, String requestsChild) {
        this.context = context;
        this.requestsChild = requestsChild;
    }

    public void send(String key, LedgerRequest request, Instant at) {
        context.forward(new Record<Object, Object>(key, request, at.toEpochMilli()), requestsChild);
    }

    /** Tells the ledger partitions of {@code keys} to let go of what they hold for the intent. */
    public void release(String intentId, String agentId, List<String> keys, Instant at) {
        for (String key : keys) {
            send(key, LedgerRequests.release(intentId, agentId, at), at);
        }
    }

    /**
     * Tells the ledger partitions of {@code keys}, every entry the claim sent at {@code claimAt} was sent to, to let go of
     * what it took there: the intent was withdrawn before the answer, so the walk may not have reached some of them.
     */
    public void withdrawClaim(String intentId, String agentId, List<String> keys, Instant claimAt, Instant at) {
        for (String key : keys) {
            send(key, LedgerRequests.releaseClaim(intentId, agentId, claimAt, at), at);
        }
    }

    /** Tells the ledger partitions of the tasks that the intent, decided without them, waits for them no more. */
    public void stopWaiting(String intentId, String agentId, List<String> tasks, Instant at) {
        for (String task : tasks) {
            send(LedgerKey.task(task).toString(), LedgerRequests.stopWaiting(intentId, agentId, at), at);
        }
    }

    /**
     * Closes what an executed intent nobody ever reported holds: a pool counts its estimate as spent,
     * as the agent's own budget does (the action was approved to run), and resources are let go,
     * since nobody will release them later.
     */
    public void settleUnreported(String intentId, String agentId, List<String> keys, Instant at) {
        for (String key : keys) {
            boolean pool = LedgerKey.parse(key).kind() == LedgerKey.Kind.POOL;
            send(key, pool ? LedgerRequests.outcome(intentId, agentId, OutcomeStatus.COMPLETED, null, at)
                    : LedgerRequests.release(intentId, agentId, at), at);
        }
    }
}
