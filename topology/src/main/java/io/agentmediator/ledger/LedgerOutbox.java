package io.agentmediator.ledger;

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
}
