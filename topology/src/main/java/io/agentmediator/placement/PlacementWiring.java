package io.agentmediator.placement;

import io.agentmediator.guard.SizeLimitedSerializer;
import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * Wires placement between the sources producers write and the processors that must read each record
 * in its key's partition:
 *
 * <pre>
 * intents-source   ─► intent-placer   ─► (in place) ─► intent-decoder
 *                                      └► intents-placed-sink   ─► [intents-placed]   ─► intents-placed-source   ─► intent-decoder
 * approvals-source ─► approval-placer ─► (in place) ─► case-router
 *                                      └► approvals-placed-sink ─► [approvals-placed] ─► approvals-placed-source ─► placed-case-router
 * outcomes-source  ─► outcome-placer  ─► (in place) ─► case-router
 *                                      └► outcomes-placed-sink  ─► [outcomes-placed]  ─► outcomes-placed-source  ─► placed-case-router
 * controls-source  ─► control-placer  ─► (in place) ─► control-acceptor
 *                                      └► controls-placed-sink  ─► [controls-placed]  ─► controls-placed-source  ─► control-acceptor
 * </pre>
 *
 * The readers are added by the caller with the parents named here. Moved approvals get a case-router
 * of their own because the case-router tells approvals from outcomes by the topic they were read from.
 */
public final class PlacementWiring {

    public static final String INTENT_PLACER = "intent-placer";
    public static final String INTENTS_PLACED_SINK = "intents-placed-sink";
    public static final String INTENTS_PLACED_SOURCE = "intents-placed-source";
    /** The two ways an intent reaches the decoder: in place, or moved to its agent's partition. */
    public static final String[] DECODER_PARENTS = {INTENT_PLACER, INTENTS_PLACED_SOURCE};

    public static final String APPROVAL_PLACER = "approval-placer";
    public static final String APPROVALS_PLACED_SINK = "approvals-placed-sink";
    public static final String APPROVALS_PLACED_SOURCE = "approvals-placed-source";
    public static final String OUTCOME_PLACER = "outcome-placer";
    public static final String OUTCOMES_PLACED_SINK = "outcomes-placed-sink";
    public static final String OUTCOMES_PLACED_SOURCE = "outcomes-placed-source";
    /** Approvals and outcomes in place reach the case-router through their placers. */
    public static final String[] CASE_ROUTER_PARENTS = {APPROVAL_PLACER, OUTCOME_PLACER};
    /** Moved approvals and outcomes reach a case-router reading the placed topics. */
    public static final String[] PLACED_CASE_ROUTER_PARENTS = {APPROVALS_PLACED_SOURCE, OUTCOMES_PLACED_SOURCE};

    public static final String CONTROL_PLACER = "control-placer";
    public static final String CONTROLS_PLACED_SINK = "controls-placed-sink";
    public static final String CONTROLS_PLACED_SOURCE = "controls-placed-source";
    /** The two ways a control reaches its acceptor: in place, or moved to its scope's partition. */
    public static final String[] CONTROL_ACCEPTOR_PARENTS = {CONTROL_PLACER, CONTROLS_PLACED_SOURCE};

    private PlacementWiring() {}

    /**
     * Adds the intent placer after {@code intentsSource}; {@code decoder} is its in-place child. A record
     * larger than {@code maxRecordBytes} (the producer's {@code max.request.size}: the broker took it
     * compressed) cannot be moved: it goes to the decoder where it is, which rejects it for its size
     * wherever it was read.
     */
    public static void addIntents(Topology topology, Topics topics, Placements placements, String intentsSource, String decoder,
            int maxRecordBytes) {
        add(topology, topics.intentsPlaced(), intentsSource, INTENT_PLACER, INTENTS_PLACED_SINK, INTENTS_PLACED_SOURCE, maxRecordBytes,
                () -> new RecordPlacer(placements.intents(), decoder, INTENTS_PLACED_SINK, maxRecordBytes));
    }

    /**
     * Adds the approval and outcome placers after their sources; {@code caseRouter} is their in-place child. As {@link #addIntents}:
     * one too large to move stays where it was read, and the case router dead-letters it there.
     */
    public static void addCases(Topology topology, Topics topics, Placements placements, String approvalsSource,
            String outcomesSource, String caseRouter, int maxRecordBytes) {
        add(topology, topics.approvalsPlaced(), approvalsSource, APPROVAL_PLACER, APPROVALS_PLACED_SINK, APPROVALS_PLACED_SOURCE,
                maxRecordBytes, () -> new RecordPlacer(placements.approvals(), caseRouter, APPROVALS_PLACED_SINK, maxRecordBytes));
        add(topology, topics.outcomesPlaced(), outcomesSource, OUTCOME_PLACER, OUTCOMES_PLACED_SINK, OUTCOMES_PLACED_SOURCE,
                maxRecordBytes, () -> new RecordPlacer(placements.outcomes(), caseRouter, OUTCOMES_PLACED_SINK, maxRecordBytes));
    }

    /**
     * Adds the control placer after {@code controlsSource}; {@code acceptor} is its in-place child. As {@link #addIntents}: one
     * too large to move stays where it was read, and the acceptor refuses it there.
     */
    public static void addControls(Topology topology, Topics topics, Placements placements, String controlsSource, String acceptor,
            int maxRecordBytes) {
        add(topology, topics.controlsPlaced(), controlsSource, CONTROL_PLACER, CONTROLS_PLACED_SINK, CONTROLS_PLACED_SOURCE,
                maxRecordBytes, () -> new RecordPlacer(placements.controls(), acceptor, CONTROLS_PLACED_SINK, maxRecordBytes));
    }

    public static final String APPROVALS_REKEYED_SINK = "approvals-rekeyed-sink";
    public static final String OUTCOMES_REKEYED_SINK = "outcomes-rekeyed-sink";

    /**
     * Adds the sinks by which {@code routers} send an approval or outcome keyed by something else than
     * its intent id (the decision's key, nothing) to the placed topic again, keyed by that id, so it is
     * read in its intent's partition.
     */
    public static void addRekeying(Topology topology, Topics topics, int maxRecordBytes, String... routers) {
        placedSink(topology, APPROVALS_REKEYED_SINK, topics.approvalsPlaced(), maxRecordBytes, routers);
        placedSink(topology, OUTCOMES_REKEYED_SINK, topics.outcomesPlaced(), maxRecordBytes, routers);
    }

    private static void add(Topology topology, TopicSpec<byte[], byte[]> placed, String source, String placer, String sink,
            String placedSource, int maxRecordBytes, ProcessorSupplier<byte[], byte[], byte[], byte[]> placing) {
        topology.addProcessor(placer, placing, source);
        placedSink(topology, sink, placed, maxRecordBytes, placer);
        topology.addSource(placedSource, placed.keySerde().deserializer(), placed.valueSerde().deserializer(), placed.name());
    }

    /** A sink to a placed topic, partitioned by its key as producers' default partitioner would; a record it cannot send is dead-lettered. */
    private static void placedSink(Topology topology, String name, TopicSpec<byte[], byte[]> placed, int maxRecordBytes,
            String... parents) {
        topology.addSink(name, placed.name(), placed.keySerde().serializer(),
                new SizeLimitedSerializer<>(placed.valueSerde().serializer(), maxRecordBytes), new KeyPartitioner(), parents);
    }
}
