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
        MediatorTopology.build(TopologyParts.of(config, topics, new CurrentPolicy(policy), new HealthState(), UnaryOperator.identity()));
        return topics.writtenSubjects(applicationId);
    }
}
