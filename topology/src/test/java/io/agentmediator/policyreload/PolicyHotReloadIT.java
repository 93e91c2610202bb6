package io.agentmediator.policyreload;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.app.MediatorApp;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.health.HealthState;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A policy published once is in force on every running instance, without a restart; a record on the accepted topic that no
 * mediator wrote stops none of them, running or starting.
 */
@Tag("slow")
class PolicyHotReloadIT {

    private static final String SCOPE = "hot-reload-it";

    @TempDir Path dir;

    @Test
    void shouldPutAPublishedPolicyInForceOnEveryInstanceWithoutARestart() throws Exception {
        Policy original = PolicySource.load("classpath:policies/example.yaml").policy();
        Policy suspended = suspend(original, "finance-analyst", "hot-reload-2");

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            MediatorConfig config = MediatorConfig.defaults()
                    .with(ConfigKeys.BOOTSTRAP_SERVERS, broker.bootstrapServers())
                    .with(ConfigKeys.SCHEMA_REGISTRY_URL, "mock://" + SCOPE)
                    .with(ConfigKeys.APPLICATION_ID, "hot-reload-it")
                    .with(ConfigKeys.HTTP_PORT, "0");
            try (MediatorApp first = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("a").toString()), new HealthState());
                    MediatorApp second = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("b").toString()), new HealthState())) {
                first.awaitRunning(Duration.ofSeconds(60));
                second.awaitRunning(Duration.ofSeconds(60));
                assertThat(first.health().policyVersion()).isEqualTo(original.version());

                // When an operator publishes the next version, suspending one agent
                String published = new PolicyPublisher(config).publish(suspended);
                assertThat(published).contains("hot-reload-2", first.topics().policies().name());

                // Then both instances put it in force
                awaitVersion(first, "hot-reload-2");
                awaitVersion(second, "hot-reload-2");

                // And intents on every partition are decided under it
                Map<String, String> agents = new LinkedHashMap<>();
                for (AgentProfile agent : original.agents().values()) {
                    agents.put("reload-" + agent.id(), agent.id());
                }
                send(broker, first.topics(), agents);
                Map<String, Decision> decisions = decisions(broker, first.topics(), agents.size());
                assertThat(decisions.values()).extracting(Decision::getPolicyVersion).containsOnly("hot-reload-2");
                assertThat(decisions.get("reload-finance-analyst").getReasons().get(0).getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);

                // When a record no mediator wrote lands on the accepted topic, which every instance reads in its global thread
                try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                    producer.send(new ProducerRecord<>(first.topics().policiesAccepted().name(), "default".getBytes(StandardCharsets.UTF_8),
                            "not avro".getBytes(StandardCharsets.UTF_8))).get();
                }
                new PolicyPublisher(config).publish(suspend(original, "finance-analyst", "hot-reload-3"));

                // Then both instances step over it and put the next version in force, and so does one that starts afresh and
                // reads the whole topic again
                awaitVersion(first, "hot-reload-3");
                awaitVersion(second, "hot-reload-3");
                try (MediatorApp third = MediatorApp.start(config.with(ConfigKeys.STATE_DIR, dir.resolve("c").toString()), new HealthState())) {
                    third.awaitRunning(Duration.ofSeconds(60));
                    awaitVersion(third, "hot-reload-3");
                    assertThat(third.health().live()).isTrue();
                }
                assertThat(first.health().live()).isTrue();
                assertThat(second.health().live()).isTrue();
            }
        } finally {
            SchemaRegistryClients.dropScope(SCOPE);
        }
    }

    private static Policy suspend(Policy policy, String agentId, String version) {
        Map<String, AgentProfile> agents = new LinkedHashMap<>(policy.agents());
        AgentProfile a = agents.get(agentId);
        agents.put(agentId, new AgentProfile(a.id(), a.owner(), a.department(), true, a.publicKey(), a.publicKeyBase64(),
                a.capabilities(), a.maxCommitmentMicros(), a.rateLimit(), a.budgets(), a.pool()));
        return new Policy(version, policy.defaults(), policy.tiers(), agents, policy.pools(), policy.resources(),
                policy.dataFlows(), policy.approvers(), policy.rules());
    }

    private static void awaitVersion(MediatorApp app, String version) throws InterruptedException {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!version.equals(app.health().policyVersion()) && System.nanoTime() - giveUpAt < 0) {
            Thread.sleep(100);
        }
        assertThat(app.health().policyVersion()).isEqualTo(version);
    }

    private static void send(EmbeddedKafkaBroker broker, Topics topics, Map<String, String> intentToAgent) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
            for (Map.Entry<String, String> e : intentToAgent.entrySet()) {
                AgentIntent intent = AgentIntent.newBuilder()
                        .setIntentId(e.getKey()).setAgentId(e.getValue()).setAction("report.generate").setTarget("llm:small")
                        .setCostMicros(1_000).setConfidence(0.9).setClaims(List.of()).build();
                producer.send(new ProducerRecord<>(topics.intents().name(), null, Instant.now().toEpochMilli(),
                        e.getValue().getBytes(StandardCharsets.UTF_8),
                        topics.intentSerde().serializer().serialize(topics.intents().name(), intent))).get();
            }
        }
    }

    private static Map<String, Decision> decisions(EmbeddedKafkaBroker broker, Topics topics, int expected) {
        Map<String, Decision> decisions = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : KafkaTestClients.readCommitted(broker.bootstrapServers(),
                topics.decisions().stream().map(t -> t.name()).toList(), expected, Duration.ofSeconds(60))) {
            Decision decision = topics.execute().valueSerde().deserializer().deserialize(record.topic(), record.value());
            decisions.put(decision.getIntentId(), decision);
        }
        assertThat(decisions).hasSize(expected);
        return decisions;
    }
}
