package io.agentmediator.placement;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Makes a record's placement independent of its producer's partitioner.
 *
 * <p>Reads: records as published, raw bytes (intents keyed by agent id; approvals and outcomes keyed by
 * intent id). Writes: a record already on its key's partition (under {@link KeyPartitioning}) unchanged
 * to {@code inPlaceChild}, so Java clients are served in one hop; any other record, unchanged (key,
 * value bytes, headers with a signature, timestamp), to {@code moveChild}, a sink to a placed topic
 * partitioned by {@link KeyPartitioner}, which is read beside the original. Moved once: no placer
 * reads a placed topic. A record without a key has no partition of its own and goes straight on (its
 * reader rejects or dead-letters it). Owns no store.
 */
public final class RecordPlacer implements Processor<byte[], byte[], byte[], byte[]> {

    private final KeyPartitioning partitioning;
    private final String inPlaceChild;
    private final String moveChild;
    private ProcessorContext<byte[], byte[]> context;

    public RecordPlacer(KeyPartitioning partitioning, String inPlaceChild, String moveChild) {
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
