package io.agentmediator.topics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Kafka Streams pairs the partitions of the topics one sub-topology reads by their number (task
 * {@code 0_4} reads partition 4 of each) and makes as many tasks as the largest count has
 * partitions, without a word. An intents topic of 6 partitions beside ledger replies of 3 would
 * decide the agents of partitions 3 to 5 without their ledger answers, case events or owners. So the
 * mediator checks at start, once its topics exist, that the topics read together have one count.
 */
public final class CoPartitioning {

    private CoPartitioning() {}

    /** @throws TopicProvisioningException naming each topic's count if the topics of a sub-topology differ */
    public static void require(TopologyDescription topology, ToIntFunction<String> partitionsOf) {
        List<String> problems = new ArrayList<>();
        for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            Map<String, Integer> counts = new TreeMap<>();
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    source.topicSet().forEach(topic -> counts.put(topic, partitionsOf.applyAsInt(topic)));
                }
            }
            if (new HashSet<>(counts.values()).size() > 1) {
                problems.add(counts.toString());
            }
        }
        if (!problems.isEmpty()) {
            throw new TopicProvisioningException("topics read together must have one partition count, as Kafka Streams pairs their"
                    + " partitions by number, but they have " + String.join("; ", problems) + ". The mediator creates its topics with"
                    + " topic.partitions: set it to the count of the topics producers write before the first start; topics that"
                    + " already exist with other counts must be recreated, under a new application.id (docs/OPERATIONS.md, Sizing)");
        }
    }
}
