package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.Contracts;
import io.agentmediator.embedded.EmbeddedKafkaBroker;
import io.agentmediator.registry.HttpSchemaRegistryClient;
import io.agentmediator.testing.ApicurioRegistry;
import io.agentmediator.testing.DecisionWatch;
import io.agentmediator.testing.HttpGet;
import io.agentmediator.testing.IntentRecords;
import io.agentmediator.testing.KafkaTestClients;
import io.agentmediator.testing.MediatorProcess;
import io.agentmediator.testing.MetricsText;
import io.agentmediator.testing.SteadyAgents;
import io.agentmediator.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart, as Kubernetes does one: SIGTERM, the same pod name and volume. The stores were closed cleanly, so the
 * next start resumes from them and restores nothing from the changelogs; the state of a month of traffic would otherwise
 * be read back at every restart.
 */
@Tag("slow")
class CleanRestartIT {

    /** RocksDB stores every intent of the run writes to: a restart that threw them away reads them back. */
    private static final List<String> PERSISTENT_STORES = List.of("executed-cases", "executed-cases-by-change", "intent-ids");
    private static final List<String> AGENTS = List.of("agent-0", "agent-1", "agent-2", "agent-3", "agent-4", "agent-5");

    @TempDir Path dir;

    @Test
    void aCleanStopLeavesItsStoresToResumeFromAndTheNextStartRestoresNothing() throws Exception {
        Path policyFile = Files.writeString(dir.resolve("policy.yaml"), SteadyAgents.policyYaml("clean-restart-1", AGENTS));
        Contracts.trustGeneratedClasses();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(3).start();
                ApicurioRegistry registry = ApicurioRegistry.start()) {
            Topics topics = new Topics("agent.", HttpSchemaRegistryClient.create(registry.ccompatUrl(), Map.of()));
            Map<String, String> settings = Map.of(
                    "bootstrap.servers", broker.bootstrapServers(),
                    "application.id", "clean-restart-it",
                    "schema.registry.url", registry.ccompatUrl(),
                    "policy.file", policyFile.toString(),
                    "state.dir", dir.resolve("state").toString(),
                    "instance.id", "mediator-0");
            try (DecisionWatch watch = DecisionWatch.start(broker.bootstrapServers(), topics)) {
                // Given a mediator that decided a few hundred intents, its stores written
                MediatorProcess first = MediatorProcess.start(dir, "clean-restart-0", settings, "-Xmx512m");
                try (SteadyAgents agents = SteadyAgents.start(broker.bootstrapServers(), topics, AGENTS, Duration.ofMillis(10))) {
                    Thread.sleep(4_000);
                    agents.stop();
                    watch.awaitDecided(agents.sent().stream().map(SteadyAgents.Sent::intentId).toList(), Duration.ofSeconds(120));
                }

                // When it is stopped as Kubernetes stops a pod, and started again on the same volume
                assertThat(first.stop()).isIn(0, 143);
                try (MediatorProcess second = MediatorProcess.start(dir, "clean-restart-1", settings, "-Xmx512m")) {
                    // Then its RocksDB stores restored nothing (those in memory are read back at every start, by design), it
                    // said nothing of an unclean stop, and it decides again
                    String metrics = HttpGet.get(second.httpPort(), "/metrics").body();
                    for (String store : PERSISTENT_STORES) {
                        assertThat(MetricsText.sampleSum(metrics, "mediator_state_restore_records_total{store=\"" + store + "\"}"))
                                .as(store).isZero();
                    }
                    assertThat(Files.readString(second.log().toPath())).doesNotContain("stopped uncleanly")
                            // nor that a setting the mediator makes was missing
                            .doesNotContain("Processing exception handler is not enabled");
                    try (KafkaProducer<byte[], byte[]> producer = KafkaTestClients.producer(broker.bootstrapServers())) {
                        for (String agent : AGENTS) {
                            producer.send(IntentRecords.intent(topics, "after-" + agent, agent, "invoice.create", "erp", 1_000, 0, Instant.now()));
                        }
                    }
                    watch.awaitDecided(AGENTS.stream().map(agent -> "after-" + agent).toList(), Duration.ofSeconds(60));
                }
            }
        }
    }
}
