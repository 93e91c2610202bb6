package io.agentmediator.topics;

import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;

/** The topics a topology's sources read, from its description, so no list of them is kept by hand beside it. */
public final class SourceTopics {

    private SourceTopics() {}

    /** What its sub-topologies read: the stream threads, that is the consumer group. */
    public static Set<String> ofSubtopologies(TopologyDescription topology) {
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    topics.addAll(source.topicSet());
                }
            }
        }
        return topics;
    }

    /** What its global stores read, each instance all of it, outside the consumer group. */
    public static Set<String> ofGlobalStores(TopologyDescription topology) {
        Set<String> topics = new TreeSet<>();
        topology.globalStores().forEach(global -> topics.addAll(global.source().topicSet()));
        return topics;
    }
}
