package io.agentmediator.topics;

import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;

/** The changelog topics Kafka Streams names after the application id, one per store of the sub-topologies, from the description. */
public final class ChangelogTopics {

    private ChangelogTopics() {}

    public static Set<String> of(TopologyDescription topology, String applicationId) {
        Set<String> changelogs = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(store -> changelogs.add(applicationId + "-" + store + "-changelog"));
                }
            }
        }
        return changelogs;
    }
}
