package io.agentmediator.placement;

import io.agentmediator.intake.RecordOrigin;
import io.agentmediator.limits.RecordSize;
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
 * value bytes, headers with a signature, timestamp) but for a header saying where it was read
 * ({@link RecordOrigin#PLACED_FROM}), to {@code moveChild}, a sink to a placed topic
 * partitioned by {@link KeyPartitioner}, which is read beside the original. Moved once: no placer
 * reads a placed topic. A record whose key is longer than any id ({@link RecordSize#keyFits}) is not moved: its reader
 * refuses it where it is, since moved it would be a record the producer cannot send. A record without a key has no partition of its own and goes straight on (its
 * reader rejects or dead-letters it). Owns no store.
 */
public final class RecordPlacer implements Processor<byte[], byte[], byte[], byte[]> {

    private final KeyPartitioning partitioning;
    private final String inPlaceChild;
    private final String moveChild;
    private final int keepOverBytes;
    private ProcessorContext<byte[], byte[]> context;

    /**
     * @param keepOverBytes the producer's {@code max.request.size}: a record the move sink could not send on goes to
     *                      {@code inPlaceChild} instead, whose reader rejects it for its size wherever it was read, so an
     *                      intent gets the same answer whatever partition its producer chose (moving it, it was
     *                      dead-lettered with its key and no decision; read in place, it was decided). Rejected
     *                      MALFORMED, it touches none of its agent's state, so the partition it is read in does not matter
     *                      (an approval or outcome is dead-lettered, a control refused, wherever it was read).
     */
    public RecordPlacer(KeyPartitioning partitioning, String inPlaceChild, String moveChild, int keepOverBytes) {
        this.partitioning = partitioning;
        this.inPlaceChild = inPlaceChild;
        this.moveChild = moveChild;
        this.keepOverBytes = keepOverBytes;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata read = context.recordMetadata().orElseThrow();
        // Measured as every reader measures it, without a header of the placer's name (the placer's own replaces it): else a
        // producer's header of that name could keep a record from moving that its reader then takes where it is.
        boolean inPlace = record.key() == null || partitioning.partitionOf(record.key()) == read.partition() || !RecordSize.keyFits(record.key())
                || !RecordSize.fits(record.value(), RecordOrigin.producers(record.headers()), keepOverBytes);
        if (inPlace) {
            context.forward(record, inPlaceChild);
        } else {
            // The placed topic forgets it once read: its reader names where its producer wrote it.
            context.forward(record.withHeaders(RecordOrigin.placedFrom(record.headers(), read.topic(), read.partition(), read.offset())),
                    moveChild);
        }
    }
}
