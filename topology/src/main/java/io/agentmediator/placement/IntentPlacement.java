package io.agentmediator.placement;

import io.agentmediator.topics.TopicSpec;
import io.agentmediator.topics.Topics;
import org.apache.kafka.streams.Topology;

/**
 * Wires the placement stage between the intents source and the decoder:
 *
 * <pre>
 * intents-source ─► intent-placer ─► (in place) ─────────────────────────────────────────► decoder
 *                                  └► intents-placed-sink ─► [intents-placed] ─► intents-placed-source ─┘
 * </pre>
 *
 * The decoder is added by the caller with {@link #DECODER_PARENTS} as its parents.
 */
public final class IntentPlacement {

    public static final String INTENT_PLACER = "intent-placer";
    public static final String PLACED_SINK = "intents-placed-sink";
    public static final String PLACED_SOURCE = "intents-placed-source";
    /** The two ways an intent reaches the decoder: in place, or moved to its agent's partition. */
    public static final String[] DECODER_PARENTS = {INTENT_PLACER, PLACED_SOURCE};

    private IntentPlacement() {}

    /** Adds the placer after {@code intentsSource}, its sink and the placed source; {@code decoder} is the placer's in-place child. */
    public static void addTo(Topology topology, Topics topics, AgentPartitioning partitioning, String intentsSource, String decoder) {
        TopicSpec<byte[], byte[]> placed = topics.intentsPlaced();
        topology.addProcessor(INTENT_PLACER, () -> new IntentPlacer(partitioning, decoder, PLACED_SINK), intentsSource);
        topology.addSink(PLACED_SINK, placed.name(), placed.keySerde().serializer(), placed.valueSerde().serializer(),
                new AgentPartitioner(), INTENT_PLACER);
        topology.addSource(PLACED_SOURCE, placed.keySerde().deserializer(), placed.valueSerde().deserializer(), placed.name());
    }
}
