package io.agentmediator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.DriverStores;
import io.agentmediator.testing.TestDrivers;
import io.agentmediator.topics.Topics;
import io.agentmediator.topology.MediatorTopology;
import io.agentmediator.topology.TopologyParts;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The budget gauges report the window the gate counts in now, in the zone of the policy in force: after a policy moves
 * its zone, a DAY key (the local date) names the same balance, whose bounds were stored under the old zone.
 */
class BudgetGaugesZoneTest {

    private static final String POLICY = """
            version: "%s"
            defaults: { zone: %s }
            agents:
              - id: buyer
                capabilities: { actions: ["*"], targets: ["*"] }
                budgets: [ { window: DAY, limitMicros: 10000000, warnAt: 0.8 } ]
            """;
    /** 19:00 on 2026-11-21 in Tokyo. */
    private static final Instant IN_TOKYO = Instant.parse("2026-11-21T10:00:00Z");
    /** 12:00 on 2026-11-21 in Los Angeles, when Tokyo's 2026-11-21 has been over for five hours. */
    private static final Instant IN_LOS_ANGELES = Instant.parse("2026-11-21T20:00:00Z");

    private final Topics topics = new Topics("agent.", new InMemorySchemaRegistry("gauges-zone"));
    private final CurrentPolicy inForce = new CurrentPolicy(policy("z-1", "Asia/Tokyo"));
    private final HealthState health = new HealthState();
    private final MediatorMetrics metrics = new MediatorMetrics(health, 10, Clock.fixed(IN_LOS_ANGELES, ZoneOffset.UTC));
    private final TopologyTestDriver driver = new TopologyTestDriver(MediatorTopology.build(
            TopologyParts.of(MediatorConfig.defaults(), topics, inForce, health, UnaryOperator.identity())),
            TestDrivers.streamsSettings(), IN_TOKYO);

    @AfterEach
    void tearDown() {
        driver.close();
        metrics.close();
    }

    @Test
    void shouldGaugeTheDayTheGateCountsInAfterThePolicyMovedItsZone() {
        // Given the whole day's budget reserved on 2026-11-21 in Tokyo, then the policy moved to Los Angeles
        metrics.readStores(new DriverStores(driver), inForce);
        send(intent("i-1", 10_000_000), IN_TOKYO);
        inForce.replace(policy("z-2", "America/Los_Angeles"));

        // When it is 2026-11-21 in Los Angeles, whose DAY:2026-11-21 the gate counts that reservation in
        send(intent("i-2", 1), IN_LOS_ANGELES);
        String scrape = metrics.scrape();

        // Then the gate refuses for that full day, and the gauges say it is full
        TestOutputTopic<String, Decision> rejected = driver.createOutputTopic(topics.reject().name(),
                topics.reject().keySerde().deserializer(), topics.reject().valueSerde().deserializer());
        assertThat(rejected.readValuesToList()).singleElement()
                .satisfies(decision -> assertThat(decision.getReasons().get(0).getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED));
        assertThat(scrape).contains("mediator_budget_utilisation_ratio{agent=\"buyer\",window=\"DAY\"} 1.0");
    }

    private void send(AgentIntent intent, Instant at) {
        driver.createInputTopic(topics.intents().name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer())
                .pipeInput(new TestRecord<>(intent.getAgentId().getBytes(StandardCharsets.UTF_8),
                        topics.intentSerde().serializer().serialize(topics.intents().name(), intent), at));
    }

    private static io.agentmediator.policy.Policy policy(String version, String zone) {
        return PolicyParser.parse("zone.yaml", POLICY.formatted(version, zone)).policy();
    }

    private static AgentIntent intent(String intentId, long costMicros) {
        return AgentIntent.newBuilder().setIntentId(intentId).setAgentId("buyer").setAction("order.place").setTarget("erp")
                .setCostMicros(costMicros).setCommitmentMicros(0).setConfidence(0.9).build();
    }
}
