package io.agentmediator.placement;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Makes an intent's placement independent of the producer's partitioner.
 *
 * <p>Reads: intents as published, raw bytes. Writes: a record already on its agent's partition
 * (under {@link AgentPartitioning}) unchanged to {@code inPlaceChild}, so Java clients are decided in
 * one hop; any other record, unchanged (key, value bytes, headers with the signature, timestamp), to
 * {@code moveChild}, a sink to the placed-intents topic partitioned by {@link AgentPartitioner}, which
 * the decoder also reads. Moved once: the placed topic is not read by this processor. A record
 * without a key has no agent partition and goes straight on (the decoder and the gate reject it).
 * Owns no store.
 */
public final class IntentPlacer implements Processor<byte[], byte[], byte[], byte[]> {

    private final AgentPartitioning partitioning;
    private final String inPlaceChild;
    private final String moveChild;
    private ProcessorContext<byte[], byte[]> context;

    public IntentPlacer(AgentPartitioning partitioning, String inPlaceChild, String moveChild) {
        this.partitioning = partitioning;
        this.inPlaceChild = inPlaceChild;
        this.moveChild = moveChild;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        int arrivedOn = context.recordMetadata().map(RecordMetadata::partition).orElseThrow();
        boolean inPlace = record.key() == null || partitioning.partitionOf(record.key()) == arrivedOn;
        context.forward(record, inPlace ? inPlaceChild : moveChild);
    }
}
