package io.agentmediator.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.controls.Control;
import io.agentmediator.controls.ControlAction;
import io.agentmediator.controls.ControlRefusal;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Controls are judged in their key's partition (murmur2) whatever partition their publisher chose: one read
 * elsewhere is moved once through the placed controls topic and judged there, beside the controls of its key
 * accepted before it. (The driver reads every input on partition 0.)
 */
class ControlPlacementTest {

    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
    private static final KeyPartitioning THREE = new KeyPartitioning(3);

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("control-placement-test"));

    @Test
    void shouldJudgeAControlReadOutsideItsKeysPartitionWhereItsKeyLives() {
        // Given an agent whose controls belong on another partition than the one they arrive on
        String scope = Stream.iterate(0, i -> i + 1).map(i -> "roaming-agent-" + i)
                .filter(id -> THREE.partitionOf(id.getBytes(StandardCharsets.UTF_8)) != 0).findFirst().orElseThrow();
        TopologyParts parts = TopologyParts.of(MediatorConfig.defaults(), topics,
                new CurrentPolicy(PolicySource.load("classpath:policies/example.yaml").policy()), new HealthState(), UnaryOperator.identity());
        try (TopologyTestDriver driver = new TopologyTestDriver(MediatorTopology.build(parts, new Placements(THREE, THREE, THREE, THREE)),
                TestDrivers.streamsSettings(), T0)) {
            var controls = driver.createInputTopic(topics.controls().name(), Serdes.String().serializer(), Serdes.String().serializer());

            // When it is suspended, then the same suspension is written again
            Control suspend = new Control(ControlAction.SUSPEND, "runaway", "carol", T0);
            controls.pipeInput(new TestRecord<>(scope, suspend.toJson(), T0));
            controls.pipeInput(new TestRecord<>(scope, suspend.toJson(), T0.plusSeconds(1)));

            // Then both were moved to its partition, the first counted there and the second refused as no later than it
            assertThat(driver.createOutputTopic(topics.controlsPlaced().name(), Serdes.String().deserializer(),
                    Serdes.String().deserializer()).readKeyValuesToList()).hasSize(2).allSatisfy(moved -> assertThat(moved.key).isEqualTo(scope));
            assertThat(driver.createOutputTopic(topics.controlsAccepted().name(), Serdes.String().deserializer(),
                    Serdes.String().deserializer()).readValuesToList()).containsExactly(suspend.toJson());
            assertThat(parts.suspensions().of(scope)).hasValueSatisfying(switched -> assertThat(switched.by()).isEqualTo("carol"));
            assertThat(parts.suspensions().refusals().total(ControlRefusal.Reason.STALE)).isEqualTo(1);
        }
    }
}
