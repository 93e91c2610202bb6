package io.agentmediator.gate;

import io.agentmediator.schema.internal.LedgerReply;
import io.agentmediator.schema.internal.LedgerReplyKind;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Sends each of the resource ledger's answers to the processor of the agent partition that waits for its kind. */
public final class LedgerReplyRouter implements Processor<String, LedgerReply, String, LedgerReply> {

    private final String claimsChild;
    private final String dependenciesChild;
    private ProcessorContext<String, LedgerReply> context;

    public LedgerReplyRouter(String claimsChild, String dependenciesChild) {
        this.claimsChild = claimsChild;
        this.dependenciesChild = dependenciesChild;
    }

    @Override
    public void init(ProcessorContext<String, LedgerReply> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, LedgerReply> record) {
        context.forward(record, record.value().getKind() == LedgerReplyKind.DEPENDENCY ? dependenciesChild : claimsChild);
    }
}
