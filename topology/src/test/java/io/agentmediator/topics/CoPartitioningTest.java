package io.agentmediator.topics;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.placement.Placements;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The mediator's own topology, against partition counts as a cluster might have them. */
class CoPartitioningTest {

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("co-partitioning"));
    private final TopologyDescription topology = MediatorTopology.build(TopologyParts.of(MediatorConfig.defaults(), topics,
            new CurrentPolicy(PolicySource.load("classpath:policies/example.yaml").policy()), new HealthState(), UnaryOperator.identity()),
            Placements.of(3)).describe();

    @Test
    void shouldAcceptTopicsThatAllHaveOneCount() {
        assertThatCode(() -> CoPartitioning.require(topology, topic -> 3)).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAnIntentsTopicWithMorePartitionsThanTheTopicsReadBesideIt() {
        assertThatThrownBy(() -> CoPartitioning.require(topology, topic -> topic.equals(topics.intents().name()) ? 6 : 3))
                .isInstanceOf(TopicProvisioningException.class)
                .hasMessageContaining("agent.intents=6")
                .hasMessageContaining(topics.ledgerReplies().name() + "=3")
                .hasMessageContaining(topics.caseOwners().name() + "=3")
                .hasMessageContaining("topic.partitions");
    }
}
