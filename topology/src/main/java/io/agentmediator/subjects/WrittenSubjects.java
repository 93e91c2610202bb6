package io.agentmediator.subjects;

import io.agentmediator.health.HealthState;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import io.agentmediator.config.MediatorConfig;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.kafka.streams.TopologyDescription;

/**
 * The subjects a deployment's mediator writes under, each with the schema this version writes, as the topology it would
 * run asks for them: its Avro topics and its stores' changelogs, the latter named after {@code application.id}.
 */
public final class WrittenSubjects {

    private WrittenSubjects() {}

    /**
     * What the mediator {@code config} describes writes under, learnt by building its topology (not run, nothing signed):
     * a store added to the topology is counted without being listed anywhere.
     */
    public static Map<String, Schema> of(MediatorConfig config, Policy policy, Topics topics, String applicationId) {
        return built(config, policy, topics).subjects(applicationId);
    }

    /** The topology {@code config} describes, built once (not run, nothing signed) for its subjects and its description. */
    public static Built built(MediatorConfig config, Policy policy, Topics topics) {
        return new Built(MediatorTopology.build(TopologyParts.of(config, topics, new CurrentPolicy(policy), new HealthState(),
                UnaryOperator.identity())).describe(), topics);
    }

    /** A topology built to be looked at, and the topics whose store serdes it handed out. */
    public record Built(TopologyDescription description, Topics topics) {

        public Map<String, Schema> subjects(String applicationId) {
            return topics.writtenSubjects(applicationId);
        }
    }
}
