package io.agentmediator.backtest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The topics a topology reads, taken from its description, so the backtest accepts an event
 * exactly when the topology in this build consumes its topic, and follows the topology as it grows.
 */
final class TopologyInputs {

    private final Set<String> topics;
    private final List<Pattern> patterns;

    private TopologyInputs(Set<String> topics, List<Pattern> patterns) {
        this.topics = topics;
        this.patterns = patterns;
    }

    static TopologyInputs of(Topology topology) {
        TopologyDescription description = topology.describe();
        List<TopologyDescription.Source> sources =
                Stream.concat(
                                description.subtopologies().stream().flatMap(subtopology -> subtopology.nodes().stream()),
                                description.globalStores().stream().map(TopologyDescription.GlobalStore::source))
                        .filter(TopologyDescription.Source.class::isInstance)
                        .map(TopologyDescription.Source.class::cast)
                        .toList();
        Set<String> topics = new HashSet<>();
        sources.stream().filter(source -> source.topicSet() != null).forEach(source -> topics.addAll(source.topicSet()));
        List<Pattern> patterns =
                sources.stream().map(TopologyDescription.Source::topicPattern).filter(p -> p != null).toList();
        return new TopologyInputs(topics, patterns);
    }

    boolean reads(String topic) {
        return topics.contains(topic) || patterns.stream().anyMatch(pattern -> pattern.matcher(topic).matches());
    }
}
